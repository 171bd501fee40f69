// Errors of the job processors that mean "bad input": the request named something that does not
// exist or cannot work (an unknown target, a fault on a device that cannot have it, chunks that
// do not fit a tape). Nothing has been started or changed when one is thrown.
export class JobRequestError extends Error {
  override name = 'JobRequestError';
}
