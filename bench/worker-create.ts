/**
 * The worker's `/token create` job at 5 ms simulated latency per DynamoDB, Slack and provider call
 * (dynalite, the Slack stand-in, the Mailtrap simulator, in process): how many round trips the job
 * waits for one after another, and its wall time. The first job runs on a cold worker (adapters and
 * caches empty), the figure is the median of the next ones (a warm container, the usual case).
 * Baseline: the calls the job makes — what it would wait for if each ran after the other.
 */
import { workerJobTimings } from './fixtures/worker-job.js';
import { median, round2, type BenchResult } from './types.js';

/** Module name shown in the summary. */
export const name = 'worker-create';

const LATENCY_MS = 5;
const JOBS = 9;

/** Runs the jobs and reports rounds and wall time. */
export async function run(): Promise<BenchResult[]> {
  const [first, ...rest] = await workerJobTimings(JOBS, LATENCY_MS);
  if (!first || rest.length === 0) throw new Error('no job ran');
  const m = (f: (t: (typeof rest)[number]) => number) => round2(median(rest.map(f)));
  const warm = rest[rest.length - 1] as typeof first;
  return [
    {
      name: 'create job, sequential round trips (warm)',
      value: m((t) => t.rounds),
      unit: 'trips',
      baseline: { label: 'calls made', value: m((t) => t.calls) },
      note: warm.sequence,
    },
    {
      name: 'create job, sequential round trips (first job)',
      value: first.rounds,
      unit: 'trips',
      baseline: { label: 'calls made', value: first.calls },
      note: first.sequence,
    },
    {
      name: 'create job, wall time (warm)',
      value: m((t) => t.totalMs),
      unit: 'ms',
      note: `median of ${rest.length}; ${LATENCY_MS} ms per call; time with no call in flight ${m((t) => t.ourMs)} ms`,
    },
    { name: 'create job, wall time (first job)', value: round2(first.totalMs), unit: 'ms' },
  ];
}
