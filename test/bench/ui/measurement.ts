// What a measurement of the UI benchmark is (ui.bench.ts runs each in turn, each run on a fresh
// page of the console with the fake engine of fakeApi.ts): the figures it reports, how often it
// runs, the extra answers it needs of the fake engine, and one run.
import type { Page } from 'playwright-core';
import type { ExtraAnswers } from './fakeApi';

/** Runs of each measurement ($BENCH_ROUNDS, default 5; CI runs one as a smoke test). */
export const RUNS = Number(process.env.BENCH_ROUNDS ?? 5);

export interface Figure {
  metric: string;
  unit: string;
}

/**
 * One measurement: the figures it makes, how often to repeat it, the fake engine's extra answers
 * it needs (see fakeApi.ts), and one run on a fresh page.
 */
export interface Measurement {
  figures: Figure[];
  runs: number;
  answers?: () => ExtraAnswers;
  run(page: Page): Promise<Record<string, number>>;
}

