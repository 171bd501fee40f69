// `mpbackup schedule add/edit/list/remove/runs/forecast/run` and `run-scheduler`: the JSON shape
// scripts rely on, edits that change only what is given, bad input as one line with exit 2 and
// nothing changed, "run now" recording its schedule on the job, and the foreground runner in
// its own process starting a due schedule and stopping on SIGINT.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { makeBackupSite } from '../helpers/backup-site';
import { useChildren, waitForExit, waitForLine } from '../helpers/child';
import { useTempDirs } from '../helpers/temp';

describe('mpbackup schedule', () => {
  const tempDir = useTempDirs('mpb-cli-sched-');
  const start = useChildren();

  /** A demo site without its demo schedules. */
  async function site(): Promise<string> {
    const dir = await makeBackupSite(path.join(tempDir(), 'site'));
    for (const s of JSON.parse((await cli('schedule', 'list', '--site', dir, '--json')).out).schedules) {
      expect((await cli('schedule', 'remove', String(s.id), '--site', dir)).code).toBe(0);
    }
    return dir;
  }

  async function list(dir: string): Promise<Record<string, unknown>[]> {
    const result = await cli('schedule', 'list', '--site', dir, '--json');
    expect(result.code).toBe(0);
    return JSON.parse(result.out).schedules;
  }

  it('the demo site carries the spec example schedule', async () => {
    const dir = await makeBackupSite(path.join(tempDir(), 'site'));
    const schedules = await list(dir);
    expect(schedules.map((s) => [s.target, s.when, s.windowEnd, s.enabled])).toEqual([
      ['X:', { kind: 'daily', time: '22:00' }, '00:00+1', true],
      ['/pictures', { kind: 'daily', time: '22:30' }, '00:30+1', true],
      ['/movies', { kind: 'daily', time: '23:00' }, '01:00+1', true],
    ]);
  });

  it('adds, lists, edits only what is given, and removes schedules', async () => {
    const dir = await site();
    const added = await cli('schedule', 'add', '/pictures', '--weekly', 'mon,Friday@22:30', '--mode', 'failover', '--streams', '3', '--chunk-size', '1MiB', '--timeout', '60000', '--window-end', '02:00+1', '--time-zone', 'Europe/Berlin', '--site', dir, '--json');
    expect(added.code).toBe(0);
    const schedule = JSON.parse(added.out).schedule;
    expect(schedule).toMatchObject({
      target: '/pictures',
      mode: 'failover',
      streams: 3,
      chunkSize: 2 ** 20,
      timeoutMs: 60000,
      when: { kind: 'weekly', days: ['mon', 'fri'], time: '22:30' },
      windowEnd: '02:00+1',
      timeZone: 'Europe/Berlin',
      enabled: true,
      nextDueAt: expect.stringMatching(/T2[01]:30:00.000Z$/),
    });
    const other = JSON.parse((await cli('schedule', 'add', 'x:', '--cron', '*/15 1-3 * * *', '--disabled', '--site', dir, '--json')).out).schedule;
    expect(other).toMatchObject({ target: 'X:', when: { kind: 'cron', expression: '*/15 1-3 * * *' }, enabled: false, nextDueAt: null, mode: 'mirrored', streams: 2, chunkSize: null, windowEnd: null });
    expect((await cli('schedule', 'add', '/movies', '--monthly', '31@03:00', '--site', dir, '--json')).code).toBe(0);
    expect((await cli('schedule', 'add', '/movies', '--daily', '04:00', '--site', dir, '--json')).code).toBe(0);
    expect((await cli('schedule', 'add', '/movies', '--at', '2099-01-01T05:00', '--time-zone', 'UTC', '--site', dir, '--json')).code).toBe(0);
    expect((await list(dir)).map((s) => s.when)).toEqual([
      { kind: 'weekly', days: ['mon', 'fri'], time: '22:30' },
      { kind: 'cron', expression: '*/15 1-3 * * *' },
      { kind: 'monthly', day: 31, time: '03:00' },
      { kind: 'daily', time: '04:00' },
      { kind: 'once', at: '2099-01-01T05:00:00.000Z' },
    ]);

    const edited = await cli('schedule', 'edit', String(schedule.id), '--daily', '21:00', '--window-end', '23:00', '--site', dir, '--json');
    expect(edited.code).toBe(0);
    const after = JSON.parse(edited.out).schedule;
    expect(after).toEqual({ ...schedule, when: { kind: 'daily', time: '21:00' }, windowEnd: '23:00', updatedAt: after.updatedAt, nextDueAt: after.nextDueAt });
    const disabled = JSON.parse((await cli('schedule', 'edit', String(schedule.id), '--disable', '--no-window', '--site', dir, '--json')).out).schedule;
    expect(disabled).toMatchObject({ enabled: false, windowEnd: null, nextDueAt: null, when: { kind: 'daily', time: '21:00' }, streams: 3 });
    expect(JSON.parse((await cli('schedule', 'edit', String(other.id), '--enable', '--site', dir, '--json')).out).schedule.nextDueAt).not.toBeNull();

    const text = await cli('schedule', 'list', '--site', dir);
    expect(text.out).toMatch(/ID +TARGET +MODE +STREAMS +WHEN +ZONE +WINDOW END +ENABLED +NEXT RUN/);
    expect(text.out).toMatch(/\/pictures +failover +3 +daily 21:00 +Europe\/Berlin +no/);

    expect(await cli('schedule', 'remove', String(schedule.id), '--site', dir, '--json')).toMatchObject({ code: 0, out: JSON.stringify({ removed: schedule.id }, null, 2) });
    expect((await list(dir)).map((s) => s.id)).not.toContain(schedule.id);
  });

  it.each([
    [['/nothing', '--daily', '22:00'], /no \/nothing on this site's storage/],
    [['/pictures', '--cron', '61 * * * *'], /bad cron expression "61 \* \* \* \*": Invalid value for minute: 61/],
    [['/pictures', '--cron', '0 0 * *'], /bad cron expression/],
    [['/pictures', '--weekly', 'mon,funday@22:00'], /--weekly: "funday" is not a day \(sun, mon, tue, wed, thu, fri, sat\)/],
    [['/pictures', '--weekly', 'mon'], /--weekly: expected DAYS@HH:MM/],
    [['/pictures', '--daily', '25:00'], /--daily: "25:00" is not a time of day/],
    [['/pictures', '--monthly', '32@01:00'], /--monthly: expected DAY@HH:MM with DAY from 1 to 31/],
    [['/pictures', '--daily', '22:00', '--window-end', '21:00'], /the window end 21:00 is not after the start 22:00 \(write 21:00\+1 for the next day\)/],
    [['/pictures', '--at', '2099-01-01T05:00', '--window-end', '04:00', '--time-zone', 'UTC'], /the window end 04:00 is not after the start 05:00/],
    [['/pictures', '--at', '2001-01-01T05:00'], /2001-01-01T05:00 is in the past/],
    [['/pictures', '--at', 'tomorrow'], /a date-time is like/],
    [['/pictures', '--daily', '22:00', '--cron', '* * * * *'], /give one of --at, --daily, --weekly, --monthly, --cron \(not --daily and --cron\)/],
    [['/pictures'], /say when: --at, --daily, --weekly, --monthly or --cron/],
    [['/pictures', '--daily', '22:00', '--time-zone', 'Mars/Olympus'], /unknown time zone "Mars\/Olympus"/],
    [['/pictures', '--daily', '22:00', '--streams', '9'], /--streams: a whole number from 2 to 8/],
    [['/pictures', '--daily', '22:00', '--mode', 'sideways'], /--mode: "mirrored" or "failover"/],
    [['/pictures', '--daily', '22:00', '--window-end', '5pm'], /--window-end: "5pm" is not HH:MM/],
  ])('schedule add %j: exit 2, one line, nothing added', async (args, message) => {
    const dir = await site();
    const result = await cli('schedule', 'add', ...args, '--site', dir);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.err.split('\n')).toHaveLength(1);
    expect(result.out).toBe('');
    expect(await list(dir)).toEqual([]);
  });

  it('bad edits, removals and forecasts: exit 2 and nothing changed', async () => {
    const dir = await site();
    const schedule = JSON.parse((await cli('schedule', 'add', '/pictures', '--daily', '22:00', '--window-end', '23:00', '--site', dir, '--json')).out).schedule;
    const before = await list(dir);
    for (const [args, message] of [
      [['edit', '99', '--daily', '01:00'], /no schedule 99/],
      [['edit', 'one', '--daily', '01:00'], /a schedule id is a whole number, not "one"/],
      [['edit', String(schedule.id)], /nothing to change/],
      [['edit', String(schedule.id), '--daily', '23:30'], /the window end 23:00 is not after the start 23:30/],
      [['edit', String(schedule.id), '--target', '/gone'], /no \/gone on this site's storage/],
      [['edit', String(schedule.id), '--enable', '--disable'], /--enable and --disable do not go together/],
      [['edit', String(schedule.id), '--cron', 'every day'], /bad cron expression/],
      [['remove', '99'], /no schedule 99/],
      [['forecast', '--from', '2099-01-02T00:00', '--to', '2099-01-01T00:00'], /is not after its start/],
      [['forecast', '--from', 'soon'], /--from: "soon" is not a date-time/],
      [['run', '99'], /no schedule 99/],
    ] as const) {
      const result = await cli('schedule', ...args, '--site', dir);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err).toMatch(message);
      expect(result.err.split('\n')).toHaveLength(1);
    }
    expect(await list(dir)).toEqual(before);
    expect(JSON.parse((await cli('jobs', 'list', '--site', dir, '--json')).out).jobs).toEqual([]);
  });

  it('forecast --json lists planned runs with durations and conflicts', async () => {
    const dir = await site();
    expect((await cli('device', 'set-state', 'library-C', 'unavailable', '--site', dir)).code).toBe(0);
    await cli('schedule', 'add', '/pictures', '--daily', '22:00', '--time-zone', 'UTC', '--site', dir);
    await cli('schedule', 'add', 'X:', '--daily', '22:00', '--time-zone', 'UTC', '--site', dir);
    const result = await cli('schedule', 'forecast', '--from', '2099-01-01T00:00:00Z', '--to', '2099-01-03T00:00:00Z', '--site', dir, '--json');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.out);
    expect(json.from).toBe('2099-01-01T00:00:00.000Z');
    expect(json.runs).toHaveLength(4);
    expect(json.runs.map((r: { dueAt: string; conflict: boolean }) => [r.dueAt, r.conflict])).toEqual([
      ['2099-01-01T22:00:00.000Z', true],
      ['2099-01-01T22:00:00.000Z', true],
      ['2099-01-02T22:00:00.000Z', true],
      ['2099-01-02T22:00:00.000Z', true],
    ]);
    expect(Object.keys(json.runs[0]).sort()).toEqual(
      ['conflict', 'dueAt', 'durationBasis', 'expectedDurationMs', 'expectedEndAt', 'mode', 'overlapsWith', 'reasons', 'scheduleId', 'streams', 'streamsAvailable', 'streamsNeeded', 'target', 'windowEndAt'].sort(),
    );
    const text = await cli('schedule', 'forecast', '--from', '2099-01-01T00:00:00Z', '--to', '2099-01-02T00:00:00Z', '--site', dir);
    expect(text.out).toMatch(/2 runs at the same time need 4 independent streams; the site can give 2/);
  });

  it('schedule move moves one run, or with --series every run; a bad move exits 2 and changes nothing', async () => {
    const dir = await site();
    const { id } = JSON.parse((await cli('schedule', 'add', '/pictures', '--daily', '22:00', '--time-zone', 'UTC', '--site', dir, '--json')).out).schedule;
    const [first, second] = JSON.parse((await cli('schedule', 'forecast', '--site', dir, '--json')).out).runs.filter((r: { scheduleId: number }) => r.scheduleId === id);
    const to = new Date(Date.parse(second.dueAt) - 2 * 3600_000).toISOString();
    const moved = await cli('schedule', 'move', String(id), '--due', second.dueAt, '--to', to, '--site', dir, '--json');
    expect(moved.code).toBe(0);
    expect(JSON.parse(moved.out).schedule.moves).toEqual([{ dueAt: second.dueAt, to }]);
    const runs = JSON.parse((await cli('schedule', 'forecast', '--site', dir, '--json')).out).runs.map((r: { dueAt: string }) => r.dueAt);
    expect(runs.slice(0, 2)).toEqual([first.dueAt, to]);
    const before = await list(dir);
    for (const [args, message] of [
      [['move', String(id), '--to', to], /say which run and where/],
      [['move', String(id), '--due', '2020-01-01T22:00Z', '--to', to], /no planned run due at 2020-01-01T22:00:00.000Z/],
      [['move', String(id), '--due', first.dueAt, '--to', 'tonight'], /to: a date-time is like 2026-11-25T22:00/],
    ] as const) {
      const result = await cli('schedule', ...args, '--site', dir);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err).toMatch(message);
    }
    expect(await list(dir)).toEqual(before);
    const series = await cli('schedule', 'move', String(id), '--due', first.dueAt, '--to', new Date(Date.parse(first.dueAt) + 30 * 60_000).toISOString(), '--series', '--site', dir);
    expect(series.code).toBe(0);
    expect(series.out).toMatch(/daily 22:30|daily at 22:30/);
  });

  it('schedule run starts the backup now; jobs list shows the schedule; runs lists it', async () => {
    const dir = await site();
    const schedule = JSON.parse((await cli('schedule', 'add', '/pictures', '--daily', '22:00', '--disabled', '--site', dir, '--json')).out).schedule;
    const result = await cli('schedule', 'run', String(schedule.id), '--site', dir, '--json');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.out);
    expect(json).toMatchObject({ scheduleId: schedule.id, job: { id: 1, status: 'succeeded', target: '/pictures' } });
    expect(JSON.parse((await cli('jobs', 'list', '--site', dir, '--json')).out).jobs).toEqual([expect.objectContaining({ id: 1, scheduleId: schedule.id })]);
    const runs = JSON.parse((await cli('schedule', 'runs', '--schedule', String(schedule.id), '--site', dir, '--json')).out).runs;
    expect(runs).toEqual([expect.objectContaining({ scheduleId: schedule.id, state: 'started', jobId: 1, manual: true })]);
    expect((await cli('schedule', 'runs', '--site', dir)).out).toMatch(/SCHEDULE +DUE +STATE +JOB +REASON\n\d+ +\S+ \(run now\) +started +1/);
  });

  it('run-scheduler starts a due schedule in the foreground and stops on SIGINT', async () => {
    const dir = await site();
    const at = new Date(Date.now() + 2500).toISOString();
    const schedule = JSON.parse((await cli('schedule', 'add', '/pictures', '--at', at, '--site', dir, '--json')).out).schedule;
    const child = start('bin/mpbackup', ['run-scheduler', '--site', dir]);
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    await waitForLine(child, /job 1: succeeded/);
    child.kill('SIGINT');
    await waitForExit(child);
    expect(child.exitCode).toBe(0);
    expect(out.split('\n')).toEqual([
      expect.stringMatching(/^running 1 enabled schedules of Demo site; stop with Ctrl-C$/),
      `schedule ${schedule.id}: started job 1 (due ${at})`,
      'job 1: succeeded',
      'SIGINT: stopped; waiting for the jobs it started to end',
      '',
    ]);
    expect(JSON.parse((await cli('jobs', 'list', '--site', dir, '--json')).out).jobs).toEqual([expect.objectContaining({ id: 1, state: 'succeeded', scheduleId: schedule.id })]);
  });
});
