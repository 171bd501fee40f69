// The one error the allocator throws on its own: a request it cannot accept or cannot satisfy.
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
