// The schedule form's model: each kind of timing becomes the ScheduleInput the contract takes
// (which the contract's own schema accepts), an edit carries only what changed (a one-time run's
// new zone carries its date-time too), an existing schedule fills the form back exactly, and the
// console's own checks name the field that is wrong.
import { describe, expect, it } from 'vitest';
import { ScheduleEdit, ScheduleInput, type ScheduleWhen } from '../../../engine/contract';
import { changesTiming, checkForm, editOf, formOf, inputOf, newForm, type ScheduleForm } from '../../../renderer/src/schedule/scheduleForm';
import { schedule } from '../fixtures';

const NOW = Date.parse('2026-12-01T09:00:00Z');

describe('the schedule form', () => {
  it('makes a ScheduleInput of every kind of timing', () => {
    const form = { ...newForm('/pictures', 'Europe/Berlin', NOW), mode: 'failover' as const, streams: 3, chunkText: '4MiB', timeoutText: '12.5', windowOn: true, windowTime: '02:30', windowNextDay: true };
    const daily = inputOf(form);
    expect(daily).toEqual({
      target: '/pictures',
      mode: 'failover',
      streams: 3,
      chunkSize: 4 * 2 ** 20,
      timeoutMs: 12_500,
      when: { kind: 'daily', time: '22:00' },
      windowEnd: '02:30+1',
      timeZone: 'Europe/Berlin',
      enabled: true,
    });
    expect(ScheduleInput.safeParse(daily).success).toBe(true);
    const kinds: [Partial<ScheduleForm>, ScheduleWhen][] = [
      [{ kind: 'once', at: '2026-12-01T11:15' }, { kind: 'once', at: '2026-12-01T11:15' }],
      [{ kind: 'weekly', days: ['mon', 'fri'], time: '21:30' }, { kind: 'weekly', days: ['mon', 'fri'], time: '21:30' }],
      [{ kind: 'monthly', day: 15, time: '03:00' }, { kind: 'monthly', day: 15, time: '03:00' }],
      [{ kind: 'cron', expression: '  */30 1-4 * * * ' }, { kind: 'cron', expression: '*/30 1-4 * * *' }],
    ];
    for (const [fields, when] of kinds) {
      const input = inputOf({ ...form, ...fields, windowOn: false });
      expect(input.when).toEqual(when);
      expect(input.windowEnd).toBeNull();
      expect(ScheduleInput.safeParse(input).success, JSON.stringify(input)).toBe(true);
    }
    expect(inputOf({ ...form, chunkText: '', timeoutText: '' })).toMatchObject({ chunkSize: null, timeoutMs: null });
  });

  it('proposes a one-time run an hour ahead in the schedule\'s own zone', () => {
    expect(newForm('X:', 'Asia/Tokyo', NOW).at).toBe('2026-12-01T19:00');
    expect(newForm('X:', 'UTC', NOW + 60_000 * 7).at).toBe('2026-12-01T10:07');
  });

  it('fills in an existing schedule and sends only what changed', () => {
    const weekly = schedule(4, {
      target: '/pictures',
      chunkSize: 320 * 1024,
      timeoutMs: 45_000,
      when: { kind: 'weekly', days: ['mon', 'wed'], time: '22:30' },
      windowEnd: '01:00+1',
      timeZone: 'Europe/Berlin',
      moves: [{ dueAt: '2026-12-02T21:30:00.000Z', to: '2026-12-02T19:00:00.000Z' }],
    });
    const form = formOf(weekly, NOW);
    expect([form.kind, form.days, form.time, form.chunkText, form.timeoutText, form.windowOn, form.windowTime, form.windowNextDay]).toEqual(['weekly', ['mon', 'wed'], '22:30', '320KiB', '45', true, '01:00', true]);
    expect(editOf(form, weekly, NOW)).toEqual({});
    const edit = editOf({ ...form, days: ['mon', 'wed', 'fri'], enabled: false, windowOn: false }, weekly, NOW);
    expect(edit).toEqual({ when: { kind: 'weekly', days: ['mon', 'wed', 'fri'], time: '22:30' }, windowEnd: null, enabled: false });
    expect(ScheduleEdit.safeParse(edit).success).toBe(true);
    expect(changesTiming(edit)).toBe(true);
    expect(changesTiming(editOf({ ...form, streams: 3 }, weekly, NOW))).toBe(false);
  });

  it('reads a one-time schedule\'s instant in its zone, and moves the wall clock with a new zone', () => {
    const once = schedule(5, { when: { kind: 'once', at: '2026-12-01T21:00:00.000Z' }, timeZone: 'Asia/Tokyo' });
    const form = formOf(once, NOW);
    expect(form.at).toBe('2026-12-02T06:00');
    expect(editOf(form, once, NOW)).toEqual({});
    expect(editOf({ ...form, timeZone: 'UTC' }, once, NOW)).toEqual({ timeZone: 'UTC', when: { kind: 'once', at: '2026-12-02T06:00' } });
  });

  it('names the fields that are not right before anything is sent', () => {
    const form = { ...newForm('', 'UTC', NOW), timeZone: 'Mars/Olympus' };
    expect(Object.keys(checkForm(form)).sort()).toEqual(['target', 'timeZone']);
    const wrong = { ...form, target: 'X:', timeZone: 'UTC', streams: 9, chunkText: '4 parsecs', timeoutText: '0', windowOn: true, windowTime: '25:00' };
    expect(Object.keys(checkForm(wrong)).sort()).toEqual(['chunk', 'streams', 'timeout', 'window']);
    expect(checkForm({ ...wrong, streams: 2, chunkText: '', timeoutText: '', windowOn: false, kind: 'weekly', days: [] })).toEqual({ days: 'schedule.form.errors.days' });
    expect(checkForm({ ...wrong, streams: 2, chunkText: '', timeoutText: '', windowOn: false, kind: 'cron', expression: '0 22 * *' })).toEqual({ expression: 'schedule.form.errors.expression' });
    expect(checkForm({ ...wrong, streams: 2, chunkText: '', timeoutText: '', windowOn: false, kind: 'monthly', day: 32 })).toEqual({ day: 'schedule.form.errors.day' });
    expect(checkForm({ ...wrong, streams: 2, chunkText: '', timeoutText: '', windowOn: false, kind: 'once', at: '' })).toEqual({ at: 'schedule.form.errors.at' });
  });
});
