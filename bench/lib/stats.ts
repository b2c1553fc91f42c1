// Timing helpers: wall-clock milliseconds and nearest-rank percentiles.

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Nearest-rank percentile (q in 0..1) of unsorted samples. */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export const round1 = (n: number): number => Math.round(n * 10) / 10;

export interface Timed {
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
  runs: number;
}

/** Runs fn `warmup` times untimed, then `runs` times timed, one after another. */
export async function timeRuns(fn: () => Promise<unknown>, runs: number, warmup = 1): Promise<Timed> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = nowMs();
    await fn();
    samples.push(nowMs() - started);
  }
  return {
    p50_ms: round1(percentile(samples, 0.5)),
    p95_ms: round1(percentile(samples, 0.95)),
    max_ms: round1(Math.max(...samples)),
    runs,
  };
}
