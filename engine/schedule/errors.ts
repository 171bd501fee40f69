// Errors of the scheduler that mean "bad input" (an unknown target, a bad cron expression or day,
// a window that ends before it starts, an unknown schedule): nothing has been changed.
import { JobRequestError } from '../jobs';

export class ScheduleRequestError extends JobRequestError {
  override name = 'ScheduleRequestError';
}

/** The schedule asked for does not exist. */
export class ScheduleNotFoundError extends ScheduleRequestError {
  override name = 'ScheduleNotFoundError';
}
