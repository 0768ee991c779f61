/** Exact nearest-rank percentile over ascending-sorted samples: the smallest value with at least p% of samples ≤ it. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of no samples');
  if (!(p > 0 && p <= 100)) throw new Error(`percentile must be in (0, 100], got ${p}`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export interface Summary {
  samples: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1]!,
    mean: sorted.reduce((sum, x) => sum + x, 0) / sorted.length,
  };
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** a / b, rounded to 2 decimals; NaN-safe for an empty or zero denominator. */
export function ratio(a: number, b: number): number {
  return b > 0 ? Math.round((a / b) * 100) / 100 : Number.NaN;
}

/** Milliseconds rounded to 0.01 ms, enough for loopback figures. */
export const ms = (value: number): number => Math.round(value * 100) / 100;
