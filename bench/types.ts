/** One figure a benchmark reports, with what it is compared to. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** What a user would run instead (or the floor), measured in the same run, in the same unit. */
  baseline?: { label: string; value: number };
  /** The ratio to show when it is not value ÷ baseline (e.g. the median of per-run ratios). */
  ratio?: number;
  /**
   * The target: for the ratio (×) when there is a baseline, else for the value itself. A target is
   * for the report: a miss prints MISS and never fails the run.
   */
  target?: number;
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

/** The p-th percentile (nearest rank) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of nothing');
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
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

/** The ratio a result shows: its own, or value ÷ baseline; undefined without a baseline. */
export function ratioOf(r: BenchResult): number | undefined {
  if (r.ratio !== undefined) return r.ratio;
  return r.baseline && r.baseline.value !== 0 ? r.value / r.baseline.value : undefined;
}

/** Whether the target is met (undefined when there is none). */
export function metTarget(r: BenchResult): boolean | undefined {
  if (r.target === undefined) return undefined;
  const measured = r.baseline || r.ratio !== undefined ? ratioOf(r) : r.value;
  return measured !== undefined && measured <= r.target;
}
