/**
 * The worker's `/token create` job at 5 ms simulated latency per DynamoDB, Slack and provider call
 * (dynalite, the Slack stand-in, a provider simulator, in process): how many round trips the job
 * waits for one after another, and its wall time. The first job runs on a cold worker (adapters and
 * caches empty); the others are the median of a warm container, the usual case. Two providers:
 * Vector Charts (no documented rate limit) and Mailtrap, whose every request first takes a slot from
 * the shared DynamoDB rate limiter (one more round trip). The note lists the calls, round by round;
 * before this work a warm Mailtrap create waited for 10 round trips (all its calls, one by one).
 */
import { workerJobTimings, type WorkerJobTiming } from './fixtures/worker-job.js';
import { median, round2, type BenchResult } from './types.js';

/** Module name shown in the summary. */
export const name = 'worker-create';

const LATENCY_MS = 5;
const JOBS = 7;

function rows(provider: string, jobs: WorkerJobTiming[], target: number | undefined): BenchResult[] {
  const [first, ...rest] = jobs;
  if (!first || rest.length === 0) throw new Error('no job ran');
  const m = (f: (t: WorkerJobTiming) => number) => round2(median(rest.map(f)));
  const warm = rest[rest.length - 1] as WorkerJobTiming;
  return [
    {
      name: `create ${provider}: sequential round trips, warm`,
      value: m((t) => t.rounds),
      unit: 'trips',
      ...(target !== undefined ? { target } : {}),
      note: `${m((t) => t.calls)} calls: ${warm.sequence}`,
    },
    {
      name: `create ${provider}: sequential round trips, cold worker`,
      value: first.rounds,
      unit: 'trips',
      note: `${first.calls} calls: ${first.sequence}`,
    },
    {
      name: `create ${provider}: wall time, warm`,
      value: m((t) => t.totalMs),
      unit: 'ms',
      note: `median of ${rest.length}; ${LATENCY_MS} ms per call; no call in flight ${m((t) => t.ourMs)} ms; cold worker ${round2(first.totalMs)} ms`,
    },
  ];
}

/** Runs the jobs and reports rounds and wall time. */
export async function run(): Promise<BenchResult[]> {
  const vc = await workerJobTimings(JOBS, LATENCY_MS, 'vectorcharts');
  const mt = await workerJobTimings(JOBS, LATENCY_MS, 'mailtrap');
  return [...rows('vectorcharts', vc, 6), ...rows('mailtrap (rate limiter on)', mt, undefined)];
}
