// A call to the engine that failed, kept by a store without wording it: what was being tried (a
// message key and its arguments, worded in the operator's language by the view) and the engine's
// own message. ui/useFailureText.ts turns it into one readable line.
export interface Failure {
  /** Message key of what was being tried, e.g. `failures.readSite`. */
  doing: string;
  args: Record<string, string | number>;
  /** The engine's (or the transport's) message. */
  message: string;
}

export function failure(doing: string, cause: unknown, args: Record<string, string | number> = {}): Failure {
  return { doing, args, message: cause instanceof Error ? cause.message : String(cause) };
}
