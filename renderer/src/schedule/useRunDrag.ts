// Dragging a planned run to another time with HTML5 drag and drop, inside one calendar grid:
// which run is carried, how far below its top the pointer took hold (so the run lands where its
// top is dropped, not where the pointer is) and which drop zone is under it. Only planned runs
// can be carried; the state ends with the drag, and with the grid.
import { onUnmounted, ref } from 'vue';
import type { CalendarEvent } from './calendarEvents';

export interface CarriedRun {
  event: CalendarEvent;
  /** Pixels from the run's top to where the pointer took hold of it. */
  grabY: number;
}

export function useRunDrag() {
  const carried = ref<CarriedRun | null>(null);
  /** The drop zone under the carried run (a day key). */
  const over = ref<string | null>(null);

  function start(event: CalendarEvent, drag: DragEvent): void {
    if (!event.planned) {
      drag.preventDefault();
      return;
    }
    const element = drag.currentTarget as HTMLElement | null;
    carried.value = { event, grabY: element ? drag.clientY - element.getBoundingClientRect().top : 0 };
    if (drag.dataTransfer) {
      drag.dataTransfer.setData('text/plain', event.key);
      drag.dataTransfer.effectAllowed = 'move';
    }
  }

  /** A carried run is over a zone (dragenter and dragover): it may be dropped there. */
  function hover(zone: string, drag: DragEvent): void {
    if (!carried.value) return;
    drag.preventDefault();
    if (drag.dataTransfer) drag.dataTransfer.dropEffect = 'move';
    over.value = zone;
  }

  function leave(zone: string): void {
    if (over.value === zone) over.value = null;
  }

  function end(): void {
    carried.value = null;
    over.value = null;
  }

  /** The run dropped (the drag ends). */
  function drop(drag: DragEvent): CarriedRun | null {
    const run = carried.value;
    if (run) drag.preventDefault();
    end();
    return run;
  }

  onUnmounted(end);
  return { carried, over, start, hover, leave, end, drop };
}
