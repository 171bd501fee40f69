// Errors of the job processors that mean "bad input": the request named something that does not
// exist or cannot work (an unknown target, a fault on a device that cannot have it, chunks that
// do not fit a tape). Nothing has been started or changed when one is thrown.
export class JobRequestError extends Error {
  override name = 'JobRequestError';
}

/** The request is valid but not now: a job that is not running, a rebuild while jobs run. Nothing changed. */
export class JobStateError extends Error {
  override name = 'JobStateError';
}

/** The request is valid but this site does not allow it (faults injected outside a demo site). Nothing changed. */
export class NotPermittedError extends Error {
  override name = 'NotPermittedError';
}
