// Where the engine's problems with a site config go on screen: each has a JSON path
// (`devices[3].ports`, `links[2].b`, `devices[8].tapes[0].capacity`, '' for the whole file),
// every field of the editor has one too, and a problem is shown beside the field whose path it
// names, or else with the nearest part of the config that is on screen (the device, the link).
import type { ConfigCheck, SiteConfigDocument } from '../../../engine/contract';
import { devicesOf, isObject, linksOf } from './draft';

export type ConfigProblem = ConfigCheck['problems'][number];

/** The element id of the field at a path (`devices[3].ports` -> `cfg-devices-3-ports`). */
export function fieldId(path: string): string {
  const slug = path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return slug === '' ? 'cfg-top' : `cfg-${slug}`;
}

/** The element id of a field's problem text. */
export function problemId(path: string): string {
  return `${fieldId(path)}-problem`;
}

/** The paths a problem's path lies in, nearest first: `links[2].b`, `links[2]`, `links`, ''. */
export function enclosingPaths(path: string): string[] {
  const paths = [path];
  let rest = path;
  while (rest !== '') {
    const cut = Math.max(rest.lastIndexOf('.'), rest.lastIndexOf('['));
    rest = cut <= 0 ? '' : rest.slice(0, cut);
    paths.push(rest);
  }
  return paths;
}

/** The fields of each kind of device beside id, name and ports. */
export const KIND_FIELDS = {
  host: ['agent'],
  storage: ['root', 'volumes'],
  switch: [],
  'backup-server': [],
  'copy-device': [],
  library: ['dir', 'tapeCapacity', 'loadDelayMs', 'positionDelayMs', 'tapes'],
} as const;

/** Every path the form has a place for, in this document. */
export function formPaths(doc: SiteConfigDocument): Set<string> {
  const paths = new Set(['', 'name', 'demo', 'faults', 'devices', 'links']);
  if (Array.isArray(doc.faults)) doc.faults.forEach((_f: unknown, i: number) => paths.add(`faults[${i}]`));
  for (const { index, device, kind } of devicesOf(doc)) {
    const at = `devices[${index}]`;
    for (const field of ['', '.id', '.name', '.ports', ...(kind ? KIND_FIELDS[kind].map((f) => `.${f}`) : [])]) paths.add(`${at}${field}`);
    if (kind === 'storage' && isObject(device.volumes)) for (const name of Object.keys(device.volumes)) paths.add(`${at}.volumes.${name}`);
    if (kind === 'library' && Array.isArray(device.tapes)) {
      device.tapes.forEach((_t: unknown, j: number) => ['', '.id', '.capacity'].forEach((field) => paths.add(`${at}.tapes[${j}]${field}`)));
    }
  }
  for (const { index } of linksOf(doc)) for (const field of ['', '.a', '.b']) paths.add(`links[${index}]${field}`);
  return paths;
}

/**
 * Groups problems by the path they are shown at: their own when a field has it, else the
 * nearest enclosing path that is on screen ('' always is).
 */
export function placeProblems(problems: readonly ConfigProblem[], shown: ReadonlySet<string>): Map<string, ConfigProblem[]> {
  const placed = new Map<string, ConfigProblem[]>();
  for (const problem of problems) {
    const at = enclosingPaths(problem.path).find((p) => shown.has(p)) ?? '';
    const list = placed.get(at) ?? [];
    list.push(problem);
    placed.set(at, list);
  }
  return placed;
}
