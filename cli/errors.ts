// How the command line turns failures into exit codes: 2 for bad input (the command's words, a
// site config, an unknown device), 1 for an operation that could not be done.
import { ZodError } from 'zod';
import { CatalogRequestError, JobRequestError, SiteConfigError } from '../engine';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

/** The command's words are wrong. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError || error instanceof SiteConfigError || error instanceof ZodError || error instanceof JobRequestError || error instanceof CatalogRequestError) {
    return EXIT_BAD_INPUT;
  }
  return EXIT_FAILED;
}

/** One line for stderr. */
export function describeError(error: unknown): string {
  if (error instanceof SiteConfigError) {
    const shown = error.problems.slice(0, 3).map((p) => `${p.path || '(top level)'}: ${p.message}`);
    const more = error.problems.length > 3 ? `; and ${error.problems.length - 3} more` : '';
    return `invalid site config ${error.file}: ${shown.join('; ')}${more}`;
  }
  if (error instanceof ZodError) {
    return error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s*\n\s*/g, '; ');
}
