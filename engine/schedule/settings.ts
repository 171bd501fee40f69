// Checking a schedule's settings against the site before anything is stored: the target exists
// and a backup of it can be asked for (chunks fit the tapes), the time zone is known, a cron
// expression parses, a one-time run is in the future, a window ends after its start. Wall-clock
// date-times become UTC instants; days of the week are kept once each, in week order.
import { ScheduleEdit, ScheduleInput, WEEKDAYS, type BackupMode, type MoverKind, type ScheduleWhen } from '../contract';
import { ScheduleRequestError } from './errors';
import type { ScheduleHost, ScheduleSettings, StoredSchedule } from './host';
import { checkCron, checkTimeZone, instantOf, machineTimeZone, startTime } from './timing';

export function moverOf(mode: BackupMode): MoverKind {
  return mode === 'mirrored' ? 'backup-server' : 'copy-device';
}

/** The settings of a new schedule, checked; throws ZodError or ScheduleRequestError. */
export function newSettings(host: ScheduleHost, input: unknown): ScheduleSettings {
  const parsed = ScheduleInput.parse(input);
  return checked(host, { ...parsed, timeZone: parsed.timeZone ?? machineTimeZone() }, true);
}

/** A schedule's settings with an edit applied, checked. */
export function editedSettings(host: ScheduleHost, current: StoredSchedule, edit: unknown): ScheduleSettings {
  const parsed = ScheduleEdit.parse(edit);
  const { id: _id, createdAt: _c, updatedAt: _u, ...settings } = current;
  const whenChanged = parsed.when !== undefined || (parsed.timeZone !== undefined && current.when.kind === 'once');
  return checked(host, { ...settings, ...parsed }, whenChanged);
}

function checked(host: ScheduleHost, settings: ScheduleSettings, whenIsNew: boolean): ScheduleSettings {
  const timeZone = checkTimeZone(settings.timeZone);
  const target = host.checkBackup({
    target: settings.target,
    mode: settings.mode,
    streams: settings.streams,
    ...(settings.chunkSize !== null ? { chunkSize: settings.chunkSize } : {}),
    ...(settings.timeoutMs !== null ? { timeoutMs: settings.timeoutMs } : {}),
  }).target;
  const when = checkedWhen(host, settings.when, timeZone, whenIsNew);
  const result: ScheduleSettings = { ...settings, target, timeZone, when };
  const start = startTime(result);
  if (result.windowEnd !== null && !result.windowEnd.endsWith('+1') && start !== null && result.windowEnd <= start) {
    throw new ScheduleRequestError(`the window end ${result.windowEnd} is not after the start ${start} (write ${result.windowEnd}+1 for the next day)`);
  }
  return result;
}

function checkedWhen(host: ScheduleHost, when: ScheduleWhen, timeZone: string, isNew: boolean): ScheduleWhen {
  switch (when.kind) {
    case 'once': {
      const at = instantOf(when.at, timeZone);
      if (isNew && at.getTime() <= host.clock.now().getTime()) {
        throw new ScheduleRequestError(`${when.at} is in the past (now ${host.clock.now().toISOString()})`);
      }
      return { kind: 'once', at: at.toISOString() };
    }
    case 'weekly':
      return { ...when, days: WEEKDAYS.filter((d) => when.days.includes(d)) };
    case 'cron':
      checkCron(when.expression, timeZone);
      return { kind: 'cron', expression: when.expression.trim().replace(/\s+/g, ' ') };
    default:
      return when;
  }
}
