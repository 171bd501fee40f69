// Benchmark output: one JSON line per figure, {"bench","metric","value","unit"}.

export function report(bench: string, metric: string, value: number, unit: string): void {
  process.stdout.write(JSON.stringify({ bench, metric, value: Math.round(value * 1000) / 1000, unit }) + '\n');
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}
