// Where the calendar is: its view (month, week, day) and the day it shows, kept in the address
// (`#/schedule/week/2026-12-01`) through the navigation store, so a place can be linked and the
// back button steps back through the months and days the operator looked at.
import { storeToRefs } from 'pinia';
import { computed } from 'vue';
import { useNavStore } from '../stores/nav';
import { parseRouteParam, routeParam, spanOf, stepAnchor, type CalendarView } from './calendarTime';

export function useCalendarPlace() {
  const nav = useNavStore();
  const { param } = storeToRefs(nav);
  const place = computed(() => parseRouteParam(param.value, new Date()));
  const view = computed(() => place.value.view);
  const anchor = computed(() => place.value.anchor);
  const span = computed(() => spanOf(view.value, anchor.value));

  function go(next: CalendarView, day: Date): void {
    nav.go('schedule', routeParam(next, day));
  }

  return {
    view,
    anchor,
    span,
    go,
    step: (direction: -1 | 1) => go(view.value, stepAnchor(view.value, anchor.value, direction)),
    today: () => go(view.value, new Date()),
  };
}
