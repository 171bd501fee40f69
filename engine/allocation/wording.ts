// How the allocator names things to an operator: device kinds, states and short lists.
import type { DeviceKind, ResourceStatus } from '../contract';
import { describeHolder } from '../site';

const KIND_NAMES: Record<DeviceKind, [string, string]> = {
  host: ['host', 'hosts'],
  storage: ['storage device', 'storage devices'],
  'backup-server': ['backup server', 'backup servers'],
  'copy-device': ['copy device', 'copy devices'],
  library: ['library', 'libraries'],
  switch: ['FC switch', 'FC switches'],
};

export function kindName(kind: DeviceKind, count = 1): string {
  return KIND_NAMES[kind][count === 1 ? 0 : 1];
}

/** `3 libraries`, `1 backup server`. */
export function counted(count: number, kind: DeviceKind): string {
  return `${count} ${kindName(kind, count)}`;
}

/** `in use by job 7 stream 0`, `unavailable`, `available`. */
export function stateText(status: ResourceStatus): string {
  return status.holder ? `in use by ${describeHolder(status.holder)}` : status.state;
}

const LIST_LIMIT = 8;

/** Joins at most eight items with commas, then says how many more there are. */
export function shortList(items: readonly string[]): string {
  if (items.length <= LIST_LIMIT) return items.join(', ');
  return `${items.slice(0, LIST_LIMIT).join(', ')} and ${items.length - LIST_LIMIT} more`;
}

export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
