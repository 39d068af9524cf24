/** One figure a benchmark reports. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The value the figure should not exceed (shown next to it). */
  target?: number;
  /** Whether the target was met; left out for figures reported for reference only. */
  ok?: boolean;
  note?: string;
}

/** A benchmark module: `bench/run.ts` runs each registered one in turn. */
export interface BenchModule {
  name: string;
  run(): Promise<BenchResult[]>;
}

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Runs `fn` and returns its result with the elapsed wall time in milliseconds. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** Rounds to two decimals, for display. */
export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
