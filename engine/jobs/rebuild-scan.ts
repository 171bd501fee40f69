// The first half of a catalog rebuild: reading every tape of every library of the site. For each
// tape file: its label (a missing file is a blank tape; a label that cannot be read makes the
// volume unreadable), every committed record (past damaged stretches too, see media/salvage.ts),
// its end of data, and the newest tape catalog record (step 1170) that reads back and parses.
// Libraries are read in parallel, the tapes of one library one after the other. Reads only.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { BackupView, FragmentView, type RebuildDrop, type RebuildVolume } from '../contract';
import { LABEL_SIZE, salvageScan, type StoredRecord, type VolumeLabel } from '../media';
import type { SiteModel } from '../site';
import { libraryDriver } from './libraries';
import { TAPE_CATALOG_FORMAT, type TapeCatalog } from './tape-catalog';

const TapeCatalogRecord = z.object({
  format: z.literal(TAPE_CATALOG_FORMAT),
  version: z.literal(1),
  tape: z.string(),
  library: z.string(),
  writtenAt: z.string(),
  backups: z.array(z.object({ backup: BackupView, fragments: z.array(FragmentView) })),
});

/** A tape whose label was read: its data records and the catalog record used. */
export interface ScannedTape {
  library: string;
  tape: string;
  label: VolumeLabel;
  /** Data records in tape order. */
  data: StoredRecord[];
  byPosition: Map<number, StoredRecord>;
  /** The newest catalog record that reads back and parses. */
  catalog: { position: number; record: TapeCatalog } | null;
  endOfData: number;
}

export interface ScanResult {
  volumes: RebuildVolume[];
  tapes: ScannedTape[];
  drops: RebuildDrop[];
}

/** Reads every tape of every library of the site. */
export async function scanVolumes(site: SiteModel): Promise<ScanResult> {
  const perLibrary = await Promise.all(site.devicesOfKind('library').map((library) => scanLibrary(site, library.id)));
  return {
    volumes: perLibrary.flatMap((r) => r.volumes),
    tapes: perLibrary.flatMap((r) => r.tapes),
    drops: perLibrary.flatMap((r) => r.drops),
  };
}

async function scanLibrary(site: SiteModel, libraryId: string): Promise<ScanResult> {
  const result: ScanResult = { volumes: [], tapes: [], drops: [] };
  const library = site.device(libraryId);
  if (library?.kind !== 'library') return result;
  const dir = site.libraryDir(library);
  const known = new Set<string>();
  for (const tape of site.tapesOf(libraryId)) {
    known.add(`${tape.id}.tape`);
    const scanned = await scanTape(site, libraryId, tape.id, path.join(dir, `${tape.id}.tape`), result.drops);
    result.volumes.push(scanned.volume);
    if (scanned.tape) result.tapes.push(scanned.tape);
  }
  // Tape files the site config no longer names cannot be loaded: said, not read.
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    // No directory: no tape of this library was ever written.
  }
  for (const name of names.filter((n) => n.endsWith('.tape') && !known.has(n)).sort()) {
    result.volumes.push(unreadable(libraryId, name.slice(0, -'.tape'.length), `${path.join(dir, name)} is not a tape of ${libraryId} in the site config`));
  }
  return result;
}

function unreadable(library: string, tape: string, reason: string): RebuildVolume {
  return { library, tape, status: 'unreadable', reason, labeledAt: null, endOfData: null, dataRecords: 0, catalogRecords: 0, catalogRecord: null, damaged: [], trailingBytes: 0 };
}

async function scanTape(site: SiteModel, library: string, tapeId: string, file: string, drops: RebuildDrop[]): Promise<{ volume: RebuildVolume; tape: ScannedTape | null }> {
  if (!fs.existsSync(file)) {
    return { volume: { ...unreadable(library, tapeId, ''), status: 'blank', reason: null }, tape: null };
  }
  let volume;
  try {
    volume = await libraryDriver(site, library).load(tapeId);
  } catch (error) {
    return { volume: unreadable(library, tapeId, (error as Error).message), tape: null };
  }
  try {
    const data: StoredRecord[] = [];
    const catalogs: StoredRecord[] = [];
    const damaged: Array<{ from: number; to: number }> = [];
    let trailingBytes = 0;
    let endOfData = LABEL_SIZE;
    for await (const item of salvageScan(volume)) {
      if (item.kind === 'damaged') damaged.push({ from: item.from, to: item.to });
      else if (item.kind === 'trailing') trailingBytes = item.to - item.from;
      else {
        (item.record.type === 'data' ? data : catalogs).push(item.record);
        endOfData = item.record.end;
      }
    }
    const drop = (position: number, reason: string) => drops.push({ library, tape: tapeId, position, backupId: null, what: 'tape catalog record', reason });
    for (const stretch of damaged) {
      drops.push({ library, tape: tapeId, position: stretch.from, backupId: null, what: `bytes ${stretch.from} to ${stretch.to}`, reason: 'damaged: no committed record can be read there (the records after them were read)' });
    }
    let catalog: ScannedTape['catalog'] = null;
    for (const record of [...catalogs].reverse()) {
      let parsed: TapeCatalog;
      try {
        const { payload } = await volume.read(record.position);
        parsed = TapeCatalogRecord.parse(JSON.parse(payload.toString('utf8'))) as TapeCatalog;
      } catch (error) {
        drop(record.position, `it cannot be used (${error instanceof z.ZodError ? 'not a tape catalog record of this format' : (error as Error).message}); an older one is used if there is one`);
        continue;
      }
      if (parsed.tape !== tapeId) {
        drop(record.position, `it describes tape ${parsed.tape}, not ${tapeId}`);
        continue;
      }
      catalog = { position: record.position, record: parsed };
      break;
    }
    const volumeView: RebuildVolume = {
      library,
      tape: tapeId,
      status: 'read',
      reason: null,
      labeledAt: volume.label.labeledAt,
      endOfData,
      dataRecords: data.length,
      catalogRecords: catalogs.length,
      catalogRecord: catalog ? { position: catalog.position, writtenAt: catalog.record.writtenAt, backups: catalog.record.backups.length } : null,
      damaged,
      trailingBytes,
    };
    return {
      volume: volumeView,
      tape: { library, tape: tapeId, label: volume.label, data, byPosition: new Map(data.map((r) => [r.position, r])), catalog, endOfData },
    };
  } catch (error) {
    return { volume: unreadable(library, tapeId, `reading its records failed: ${(error as Error).message}`), tape: null };
  } finally {
    await volume.unload();
  }
}
