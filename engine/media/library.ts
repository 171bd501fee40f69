// Tape library drivers: what loads tapes into drives. The file-backed virtual library keeps each
// tape as `<dir>/<tapeId>.tape` and simulates load and positioning times with delays.
import fs from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MediaError } from './errors';
import { LABEL_SIZE } from './format';
import { mountVolume, type Volume } from './volume';

export interface LibraryOptions {
  id: string;
  dir: string;
  /** The tapes of the library; a capacity counts every byte of the tape file, label included. */
  tapes: ReadonlyArray<{ id: string; capacity: number }>;
  loadDelayMs?: number;
  positionDelayMs?: number;
}

export interface LibraryDriver {
  readonly id: string;
  /** Mounts a tape: labels a new one, checks the label of an existing one. Waits loadDelayMs. */
  load(tapeId: string): Promise<Volume>;
}

const TAPE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class FileTapeLibrary implements LibraryDriver {
  readonly id: string;
  private readonly dir: string;
  private readonly capacities = new Map<string, number>();
  private readonly loadDelayMs: number;
  private readonly positionDelayMs: number;

  constructor(options: LibraryOptions) {
    const invalid = (detail: string) => new MediaError(options.dir, null, `library ${options.id}: ${detail}`);
    if (options.id === '') throw invalid('the library id is empty');
    for (const tape of options.tapes) {
      if (!TAPE_ID.test(tape.id)) throw invalid(`tape id "${tape.id}" is not 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
      if (this.capacities.has(tape.id)) throw invalid(`tape ${tape.id} is listed twice`);
      if (!Number.isSafeInteger(tape.capacity) || tape.capacity < LABEL_SIZE) throw invalid(`tape ${tape.id}: capacity ${tape.capacity} is not a whole number of bytes >= ${LABEL_SIZE} (the label)`);
      this.capacities.set(tape.id, tape.capacity);
    }
    for (const [name, delay] of [['loadDelayMs', options.loadDelayMs], ['positionDelayMs', options.positionDelayMs]] as const) {
      if (delay !== undefined && !(Number.isFinite(delay) && delay >= 0)) throw invalid(`${name} ${delay} is not a number of milliseconds >= 0`);
    }
    this.id = options.id;
    this.dir = options.dir;
    this.loadDelayMs = options.loadDelayMs ?? 0;
    this.positionDelayMs = options.positionDelayMs ?? 0;
  }

  async load(tapeId: string): Promise<Volume> {
    const capacity = this.capacities.get(tapeId);
    if (capacity === undefined) throw new MediaError(this.dir, null, `library ${this.id} has no tape "${tapeId}"`);
    await fs.mkdir(this.dir, { recursive: true });
    const volume = await mountVolume({ file: path.join(this.dir, `${tapeId}.tape`), tapeId, library: this.id, capacity, positionDelayMs: this.positionDelayMs });
    if (this.loadDelayMs > 0) await sleep(this.loadDelayMs);
    return volume;
  }
}
