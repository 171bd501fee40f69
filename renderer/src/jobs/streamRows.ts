// One row per stream of a backup job for the job page: what the catalog recorded (mover,
// library, tapes, switches, status, error) with what the events say while it runs (bytes,
// throughput), and from those its share of the stream and time left.
import type { BackupMode, BackupResult, StreamStatus } from '../../../engine/contract';
import type { LiveJob } from '../stores/jobs';
import { secondsLeft } from './progress';

export interface StreamRow {
  stream: number;
  mover: string | null;
  library: string | null;
  tapes: string[];
  switches: string[];
  status: StreamStatus;
  bytes: number;
  size: number;
  /** Bytes per second now; null when the stream is not writing. */
  throughput: number | null;
  secondsLeft: number | null;
  error: string | null;
}

export function streamRows(mode: BackupMode | null, result: BackupResult | null, live: LiveJob | null, active: boolean): StreamRow[] {
  const size = result?.backup?.size ?? live?.size ?? 0;
  const rows = new Map<number, StreamRow>();
  for (const s of result?.streams ?? []) {
    rows.set(s.stream, { stream: s.stream, mover: s.mover, library: s.library, tapes: s.tapes, switches: s.switches, status: s.status, bytes: s.bytes, size, throughput: null, secondsLeft: null, error: s.error });
  }
  for (const p of live?.streams ?? []) {
    const row = rows.get(p.stream) ?? { stream: p.stream, mover: null, library: null, tapes: [], switches: [], status: 'running', bytes: 0, size, throughput: null, secondsLeft: null, error: null };
    row.bytes = Math.max(row.bytes, p.bytes);
    // The record says reserved until it is read again; the events already show it writing.
    if (active && row.status === 'reserved' && p.bytes > 0) row.status = 'running';
    if (active && row.status === 'running' && p.throughput > 0) row.throughput = p.throughput;
    rows.set(p.stream, row);
  }
  for (const f of live?.failures ?? []) {
    const row = rows.get(f.stream);
    if (row && row.status !== 'failed') {
      row.status = 'failed';
      row.error ??= f.cause;
      row.throughput = null;
    }
  }
  const written = [...rows.values()].reduce((sum, r) => sum + r.bytes, 0);
  for (const row of rows.values()) {
    if (row.throughput === null) continue;
    row.secondsLeft = secondsLeft(mode === 'failover' ? size - written : size - row.bytes, row.throughput);
  }
  return [...rows.values()].sort((a, b) => a.stream - b.stream);
}
