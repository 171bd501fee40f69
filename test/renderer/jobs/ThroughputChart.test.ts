// The throughput chart: d3 draws a line per stream in the stream's colour with time and rate
// axes, redraws as samples come, follows its width, and on unmount removes what it drew and
// stops observing.
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import ThroughputChart from '../../../renderer/src/jobs/ThroughputChart.vue';
import { consoleI18n } from '../mount';

const MiB = 2 ** 20;
const observers: { disconnect: ReturnType<typeof vi.fn>; callback: ResizeObserverCallback }[] = [];

class FakeResizeObserver {
  disconnect = vi.fn();
  constructor(readonly callback: ResizeObserverCallback) {
    observers.push(this);
  }
  observe() {}
  unobserve() {}
}

afterEach(() => {
  vi.unstubAllGlobals();
  observers.length = 0;
});

describe('the throughput chart', () => {
  it('draws a line per stream, redraws with new samples and its width, and cleans up on unmount', async () => {
    vi.stubGlobal('ResizeObserver', FakeResizeObserver);
    const samples = [
      { at: 0, rates: [10 * MiB, 5 * MiB] },
      { at: 1000, rates: [20 * MiB, 4 * MiB] },
    ];
    const wrapper = mount(ThroughputChart, { props: { samples, streams: [0, 1], active: true, written: 0, durationMs: null }, global: { plugins: [consoleI18n()] } });
    const svg = wrapper.find('svg');
    // Each stream in its colour and its own dash pattern (not told by colour alone).
    expect(svg.findAll('path.rate').map((p) => [p.attributes('style'), p.attributes('stroke-dasharray')])).toEqual([
      ['stroke: var(--stream-0);', undefined],
      ['stroke: var(--stream-1);', '7 4'],
    ]);
    expect(svg.findAll('.axis.x .tick text').map((t) => t.text())).toEqual(['0:00', '0:01']);
    expect(svg.findAll('.axis.y .tick text').map((t) => t.text())).toContain('10 MiB/s');
    expect(wrapper.find('.legend').text()).toContain('Stream 1');

    await wrapper.setProps({ samples: [...samples, { at: 2000, rates: [30 * MiB, 3 * MiB, 1 * MiB] }] });
    expect(svg.findAll('path.rate')).toHaveLength(3);

    observers[0]!.callback([{ contentRect: { width: 900 } } as ResizeObserverEntry], observers[0] as unknown as ResizeObserver);
    expect(svg.attributes('viewBox')).toBe('0 0 900 200');

    const element = svg.element;
    wrapper.unmount();
    expect(observers[0]!.disconnect).toHaveBeenCalled();
    expect(element.childNodes).toHaveLength(0);
  });

  it('says it is waiting for progress, or gives the average of a job that ended', () => {
    const i18n = consoleI18n();
    const waiting = mount(ThroughputChart, { props: { samples: [], streams: [0], active: true, written: 0, durationMs: null }, global: { plugins: [i18n] } });
    expect(waiting.text()).toContain('Waiting for the first progress reports');
    const ended = mount(ThroughputChart, { props: { samples: [], streams: [0], active: false, written: 20 * MiB, durationMs: 10_000 }, global: { plugins: [i18n] } });
    expect(ended.text()).toContain('On average 2.0 MiB/s over 0:10 (20 MiB written by all streams).');
  });
});
