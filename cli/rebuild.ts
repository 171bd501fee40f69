// `mpbackup catalog rebuild`: scans every volume of every library and rebuilds the site's catalog
// from the tape catalog records and record headers, then says what it found: the volumes (read,
// blank, unreadable and why), the backups recovered, and what was left out. Exit 0 when every
// volume was readable, 1 when some were not (the rest is rebuilt all the same) or a backup's file
// index could not be read back, 2 for bad input (not a site, or a site another process has open).
import { formatSize, rebuildCatalog, SiteInUseError } from '../engine';
import type { RebuildReport } from '../engine/contract';
import { print, type Command } from './command';
import { EXIT_FAILED, EXIT_OK, UsageError } from './errors';
import { table } from './format';

/** Lines of problems and left-out items shown in text; --json has them all. */
const SHOWN = 20;

export const catalogRebuild: Command = {
  name: 'catalog rebuild',
  usage: 'catalog rebuild',
  summary: 'rebuild the catalog from the tapes of every library (exit 1 when some volume could not be read)',
  options: {},
  positionals: 0,
  async run(ctx) {
    let report: RebuildReport;
    try {
      report = await rebuildCatalog(ctx.site);
    } catch (error) {
      if (error instanceof SiteInUseError) throw new UsageError(error.message);
      throw error;
    }
    print(ctx, report, () => describeRebuild(report));
    return report.ok ? EXIT_OK : EXIT_FAILED;
  },
};

function describeRebuild(report: RebuildReport): string {
  const s = report.summary;
  const lines = [
    `rebuilt the catalog of ${report.site} from its tapes: ${s.volumesRead} volumes read, ${s.volumesBlank} blank, ${s.volumesUnreadable} unreadable`,
    `${s.backupsComplete} backups restorable, ${s.backupsIncomplete} not; ${s.fragments} fragments, ${s.fileIndexRows} file index rows; ${s.dropped} things left out`,
    report.previousCatalog ? `the previous catalog files are in ${report.previousCatalog}` : 'there were no catalog files before',
  ];
  const volumes = report.volumes.filter((v) => v.status !== 'blank');
  if (volumes.length > 0) {
    lines.push(
      '',
      table(
        ['LIBRARY', 'TAPE', 'STATUS', 'USED', 'RECORDS', 'CATALOG RECORD', 'NOTE'],
        volumes.map((v) => [
          v.library,
          v.tape,
          v.status,
          v.endOfData === null ? '' : formatSize(v.endOfData),
          v.status === 'read' ? `${v.dataRecords} data, ${v.catalogRecords} catalog` : '',
          v.catalogRecord ? `${v.catalogRecord.writtenAt} (${plural(v.catalogRecord.backups, 'backup')})` : v.status === 'read' ? 'none' : '',
          v.reason ?? volumeNote(v),
        ]),
      ),
    );
  }
  if (report.backups.length > 0) {
    lines.push(
      '',
      table(
        ['BACKUP', 'JOB', 'TARGET', 'MODE', 'STATE', 'SIZE', 'COPIES', 'FILES', 'FROM'],
        report.backups.map((b) => [
          String(b.id),
          String(b.jobId),
          b.target,
          b.mode,
          b.restorable ? b.state : `${b.state}, not restorable`,
          formatSize(b.size),
          b.copies.map((c) => `${c.copy}: ${c.state}`).join(', '),
          String(b.fileIndexRows),
          b.source === 'tape-catalog' ? 'tape catalog records' : 'record headers only',
        ]),
      ),
    );
  }
  const problems = report.backups.flatMap((b) => b.problems.map((p) => `  backup ${b.id}: ${p}`));
  if (problems.length > 0) lines.push('', 'problems:', ...problems.slice(0, SHOWN), ...more(problems.length));
  if (report.dropped.length > 0) {
    const dropped = report.dropped.map((d) => `  ${d.tape}${d.position === null ? '' : ` at byte ${d.position}`}: ${d.what}: ${d.reason}`);
    lines.push('', 'left out:', ...dropped.slice(0, SHOWN), ...more(dropped.length));
  }
  return lines.join('\n');
}

function volumeNote(v: RebuildReport['volumes'][number]): string {
  const notes = v.damaged.map((d) => `damaged bytes ${d.from} to ${d.to}`);
  if (v.trailingBytes > 0) notes.push(`${v.trailingBytes} bytes of an interrupted write after the end of data`);
  return notes.join('; ');
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function more(count: number): string[] {
  return count > SHOWN ? [`  and ${count - SHOWN} more (see --json)`] : [];
}
