// Errors of the catalog that an operator may see.

/** The catalog files cannot be used as they are (corrupt snapshot, unreplayable journal). */
export class CatalogError extends Error {
  override name = 'CatalogError';
}

/** Another process has the site open. */
export class SiteInUseError extends Error {
  override name = 'SiteInUseError';
  constructor(
    readonly pid: number,
    readonly dir: string,
  ) {
    super(`site in use by process ${pid} (${dir}); close that program first`);
  }
}

/** A request to read the catalog is wrong as asked (a malformed path inside a backup, a file listed as a directory): bad input. */
export class CatalogRequestError extends Error {
  override name = 'CatalogRequestError';
}

/** What a request named is not in the catalog (a backup, a path inside a backup): bad input. */
export class NotFoundError extends CatalogRequestError {
  override name = 'NotFoundError';
}
