// Listens to one of the engine's events while the component using it is mounted.
import { onMounted, onUnmounted } from 'vue';
import type { BackupApi, EventName, EventPayload } from '../../../engine/contract';

export function useApiEvent<E extends EventName>(api: BackupApi, event: E, listener: (payload: EventPayload<E>) => void): void {
  let stop: (() => void) | null = null;
  onMounted(() => (stop = api.on(event, listener)));
  onUnmounted(() => stop?.());
}
