/**
 * Listing every token of every connection (5 providers × 2 connections, 50 ms per request, Triton and
 * Cobalt paging) vs the floor: the slowest connection's request chain *as the fan-out itself fetched
 * it* — its requests replayed in the same waves (Triton's pages 2..n at once after page 1, Cobalt's
 * cursor pages one after another), so the ratio is what the fan-out adds to the unavoidable part.
 * Target ≤ 1.1×. (Replaying every page strictly in sequence would make a floor the fan-out never
 * pays, and flatter the ratio.)
 */
import type { RecordedRequest } from '../src/local/simulators/base.js';
import { portOf, recordServerTimings } from './fixtures/server-timing.js';
import { ProviderRegistry } from '../src/providers/registry.js';
import { BENCH_DEPS, LATENCY_MS, Replayer, startFleet, type Fleet } from './fanout-fleet.js';
import { median, round2, timed, type BenchResult } from './types.js';

/** Module name shown in the summary. */
export const name = 'fan-out';

const RUNS = 7;
const TARGET_RATIO = 1.1;

/** The figures of one repetition. */
interface Sample {
  wall: number;
  floor: number;
  floorKey: string;
  naive: number;
  aloneMax: number;
  oneByOne: number;
  requests: number;
}

/**
 * What `/token list` does (read.ts fanOut): every connection's adapter.list() at once under
 * Promise.allSettled. A fresh registry each time, so adapters start cold as in a new command
 * (Vector Charts logs in). Returns the wall time and the requests each connection sent.
 */
async function fanOut(fleet: Fleet): Promise<{ ms: number; recorded: RecordedRequest[][][] }> {
  const registry = new ProviderRegistry(fleet.configs, BENCH_DEPS);
  const marks = fleet.connections.map((c) => c.sim.requests.length);
  const timings = recordServerTimings();
  const { ms, value } = await timed(() =>
    Promise.allSettled(
      fleet.connections.map(async (c) => (await registry.adapter(c.config.provider, c.config.name)).list()),
    ),
  ).finally(() => timings.stop());
  value.forEach((r, i) => {
    const c = fleet.connections[i];
    if (!c) return;
    if (r.status === 'rejected') throw new Error(`${c.key} failed to list: ${String(r.reason)}`);
    if (r.value.length < c.seeded) throw new Error(`${c.key} listed ${r.value.length} of ${c.seeded} tokens`);
  });
  const recorded = fleet.connections.map((c, i) => {
    const arrivals = timings.served.filter((t) => t.port === portOf(c.sim.url)).map((t) => t.start);
    return waves(
      c.sim.requests.slice(marks[i]),
      arrivals.sort((a, b) => a - b),
    );
  });
  return { ms, recorded };
}

/**
 * Groups a connection's requests (in arrival order) into waves: a request that arrived within half a
 * simulated latency of the wave's first one was sent alongside it, not after its answer.
 */
function waves(requests: RecordedRequest[], arrivals: number[]): RecordedRequest[][] {
  if (arrivals.length !== requests.length) throw new Error('request log and server timings disagree');
  const out: RecordedRequest[][] = [];
  let waveStart = -Infinity;
  requests.forEach((r, i) => {
    const at = arrivals[i] as number;
    if (at - waveStart > LATENCY_MS / 2) {
      out.push([]);
      waveStart = at;
    }
    out.at(-1)?.push(r);
  });
  return out;
}

/**
 * The floor, measured by replaying each connection's exact requests from the fan-out just run (same
 * paths, queries, headers, bodies, same simulator and latency) in the waves the adapter sent them.
 * Replaying what the adapters really sent keeps the chain faithful, including Vector Charts' login.
 * It skips the adapters' parsing, so the floor is, if anything, a little low: the ratio errs strict.
 * `naive` is every request of every connection strictly one after another.
 */
async function floorOf(fleet: Fleet, recorded: RecordedRequest[][][], replayer: Replayer) {
  let floor = 0;
  let floorKey = '';
  let naive = 0;
  for (const [i, c] of fleet.connections.entries()) {
    const chain = recorded[i] ?? [];
    const { ms } = await timed(() => replayer.replayWaves(c.sim, chain));
    if (ms > floor) [floor, floorKey] = [ms, c.key];
    naive += (await timed(() => replayer.replay(c.sim, chain.flat()))).ms;
  }
  return { floor, floorKey, naive };
}

/** Each connection's adapter.list() alone, one after another: its own best time, and the serial total. */
async function oneByOne(fleet: Fleet): Promise<{ aloneMax: number; total: number }> {
  const registry = new ProviderRegistry(fleet.configs, BENCH_DEPS);
  let aloneMax = 0;
  let total = 0;
  for (const c of fleet.connections) {
    const { ms } = await timed(async () => (await registry.adapter(c.config.provider, c.config.name)).list());
    total += ms;
    aloneMax = Math.max(aloneMax, ms);
  }
  return { aloneMax, total };
}

async function sample(fleet: Fleet, replayer: Replayer): Promise<Sample> {
  const { ms: wall, recorded } = await fanOut(fleet);
  const { floor, floorKey, naive } = await floorOf(fleet, recorded, replayer);
  const { aloneMax, total } = await oneByOne(fleet);
  const requests = recorded.reduce((n, r) => n + r.flat().length, 0);
  return { wall, floor, floorKey, naive, aloneMax, oneByOne: total, requests };
}

function summarize(samples: Sample[]): BenchResult[] {
  const m = (f: (s: Sample) => number) => round2(median(samples.map(f)));
  const keys = [...new Set(samples.map((s) => s.floorKey))].join(', ');
  const setup = `10 connections, ${samples[0]?.requests ?? 0} requests, ${LATENCY_MS} ms each, median of ${RUNS}`;
  const wall = m((s) => s.wall);
  return [
    {
      name: 'list fan-out, all connections',
      value: wall,
      unit: 'ms',
      baseline: { label: `floor: slowest chain as fetched (${keys})`, value: m((s) => s.floor) },
      ratio: m((s) => s.wall / s.floor),
      target: TARGET_RATIO,
      note: `${setup}; ratio is the median of per-run ratios`,
    },
    {
      name: 'list fan-out vs slowest adapter alone',
      value: wall,
      unit: 'ms',
      baseline: { label: 'slowest list() run alone', value: m((s) => s.aloneMax) },
      ratio: m((s) => s.wall / s.aloneMax),
    },
    {
      name: 'list fan-out vs every request in sequence',
      value: wall,
      unit: 'ms',
      baseline: { label: 'naive sequential', value: m((s) => s.naive) },
      ratio: m((s) => s.wall / s.naive),
    },
    {
      name: 'list fan-out vs adapters one by one',
      value: wall,
      unit: 'ms',
      baseline: { label: 'each list() awaited in turn', value: m((s) => s.oneByOne) },
      ratio: m((s) => s.wall / s.oneByOne),
    },
  ];
}

/** Starts the fleet, warms up once, measures RUNS times, and always closes the simulators. */
export async function run(): Promise<BenchResult[]> {
  const fleet = await startFleet();
  const replayer = new Replayer();
  try {
    await sample(fleet, replayer); // warm-up: JIT, keep-alive sockets, lazy imports
    const samples: Sample[] = [];
    for (let i = 1; i <= RUNS; i++) {
      const s = await sample(fleet, replayer);
      samples.push(s);
      const ratio = (s.wall / s.floor).toFixed(2);
      console.log(
        `  run ${i}/${RUNS}: wall ${s.wall.toFixed(0)} ms, floor ${s.floor.toFixed(0)} ms (${s.floorKey}), ratio ${ratio}, naive ${s.naive.toFixed(0)} ms`,
      );
    }
    return summarize(samples);
  } finally {
    await replayer.close();
    await fleet.close();
  }
}
