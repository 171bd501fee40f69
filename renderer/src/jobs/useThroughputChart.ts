// The throughput chart of a running job, drawn with d3 into an <svg>: one line per stream (in
// the stream's colour and dash pattern, so streams differ by more than colour) of MiB/s over the
// time since the first sample, with axes. It follows the samples and the element's width, and
// removes what it drew, its observer and its watchers on unmount.
import { axisBottom, axisLeft, curveMonotoneX, line, max, scaleLinear, select } from 'd3';
import { onMounted, onUnmounted, watch, type Ref } from 'vue';
import type { ThroughputSample } from '../stores/jobs';

const MIB = 2 ** 20;
const MARGIN = { top: 10, right: 16, bottom: 26, left: 72 };
export const CHART_HEIGHT = 200;
/** Dash pattern of stream n's line (the legend draws the same). */
export const STREAM_DASHES = ['', '7 4', '2 3', '10 3 2 3', '4 4', '1 5'];

export function useThroughputChart(
  svg: Ref<SVGSVGElement | null>,
  samples: Ref<readonly ThroughputSample[]>,
  labels: { rate: (mibPerSecond: number) => string; elapsed: (seconds: number) => string },
): void {
  let width = 600;
  let observer: ResizeObserver | null = null;
  // The element drawn into (the template ref is already cleared when onUnmounted runs).
  let element: SVGSVGElement | null = null;

  function draw(): void {
    if (!element) return;
    const data = samples.value;
    const root = select(element).attr('viewBox', `0 0 ${width} ${CHART_HEIGHT}`).attr('width', width).attr('height', CHART_HEIGHT);
    root.selectAll('*').remove();
    if (data.length < 2) return;
    const first = data[0]!.at;
    const last = data[data.length - 1]!.at;
    const streams = max(data, (d) => d.rates.length) ?? 0;
    const top = max(data, (d) => max(d.rates) ?? 0) ?? 0;
    const seconds = (at: number) => (at - first) / 1000;
    const x = scaleLinear().domain([0, seconds(last)]).range([MARGIN.left, width - MARGIN.right]);
    // Whole seconds only: a short job has few ticks rather than repeated labels.
    const xTicks = x.ticks(Math.max(2, Math.floor(width / 90))).filter(Number.isInteger);
    const y = scaleLinear().domain([0, Math.max(top / MIB, 1) * 1.1]).nice().range([CHART_HEIGHT - MARGIN.bottom, MARGIN.top]);

    root.append('g').attr('class', 'grid').attr('transform', `translate(${MARGIN.left},0)`)
      .call(axisLeft(y).ticks(4).tickSize(-(width - MARGIN.left - MARGIN.right)).tickFormat(() => ''));
    root.append('g').attr('class', 'axis x').attr('transform', `translate(0,${CHART_HEIGHT - MARGIN.bottom})`)
      .call(axisBottom(x).tickValues(xTicks).tickFormat((v) => labels.elapsed(Number(v))));
    root.append('g').attr('class', 'axis y').attr('transform', `translate(${MARGIN.left},0)`)
      .call(axisLeft(y).ticks(4).tickFormat((v) => labels.rate(Number(v))));

    for (let stream = 0; stream < streams; stream++) {
      const path = line<ThroughputSample>()
        .x((d) => x(seconds(d.at)))
        .y((d) => y((d.rates[stream] ?? 0) / MIB))
        .curve(curveMonotoneX);
      root
        .append('path')
        .datum(data)
        .attr('class', 'rate')
        .attr('data-stream', stream)
        .attr('d', path)
        .attr('stroke-dasharray', STREAM_DASHES[stream % STREAM_DASHES.length] || null)
        .style('stroke', `var(--stream-${stream % 6})`);
    }
  }

  onMounted(() => {
    element = svg.value;
    if (element && typeof ResizeObserver === 'function') {
      observer = new ResizeObserver((entries) => {
        const next = Math.floor(entries[0]?.contentRect.width ?? width);
        if (next > 0 && next !== width) {
          width = next;
          draw();
        }
      });
      observer.observe(element.parentElement ?? element);
    }
    draw();
  });
  const stop = watch(() => [samples.value, samples.value.length], draw);

  onUnmounted(() => {
    stop();
    observer?.disconnect();
    observer = null;
    if (element) select(element).selectAll('*').remove();
    element = null;
  });
}
