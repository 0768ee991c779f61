/** What one benchmark reports: flat, named figures (numbers are printed rounded, strings verbatim). */
export type BenchResult = Record<string, number | string>;

export interface Benchmark {
  /** Short, unique, kebab-case; `npm run bench -- <word>` runs the benchmarks whose name contains a word. */
  name: string;
  /** One line saying what is measured, printed above the figures. */
  description: string;
  run(): Promise<BenchResult>;
}
