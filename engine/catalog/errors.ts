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
