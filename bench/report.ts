import type { Benchmark, BenchResult } from './types.js';

function show(value: number | string): string {
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** A plain, aligned block for people: name and description, then one figure a line, numbers right-aligned. */
export function formatBlock(
  bench: Pick<Benchmark, 'name' | 'description'>,
  result: BenchResult,
  elapsedMs: number,
): string {
  const entries = Object.entries(result).map(([key, value]) => [key, show(value)] as const);
  const keyWidth = Math.max(0, ...entries.map(([key]) => key.length));
  const valueWidth = Math.max(0, ...entries.map(([, value]) => value.length));
  const lines = [`== ${bench.name}: ${bench.description} (${(elapsedMs / 1000).toFixed(1)} s)`];
  for (const [key, value] of entries) lines.push(`  ${key.padEnd(keyWidth)}  ${value.padStart(valueWidth)}`);
  return lines.join('\n');
}

/** One line for machines: `BENCH {"name":…,"elapsedMs":…,"result":{…}}`. */
export function formatJsonLine(name: string, result: BenchResult, elapsedMs: number): string {
  return `BENCH ${JSON.stringify({ name, elapsedMs: Math.round(elapsedMs), result })}`;
}
