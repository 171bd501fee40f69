// The errors the allocator throws on its own: a request it cannot satisfy (AllocationError), or one
// that is wrong in itself (StreamRequestError: unknown devices, contradictions; bad input).
import type { StreamPlan } from '../contract';

export class AllocationError extends Error {
  override name = 'AllocationError';

  /** `plan` is the infeasible plan when the request was valid but too few streams exist. */
  constructor(
    message: string,
    readonly plan: StreamPlan | null = null,
  ) {
    super(message);
  }
}

/** The request itself is wrong (malformed, unknown devices, contradictory pins): bad input, whatever the site's state. */
export class StreamRequestError extends AllocationError {
  override name = 'StreamRequestError';
}
