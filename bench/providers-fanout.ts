/**
 * Issue 2: listing every token of every connection (5 providers × 2 connections, 50 ms per request,
 * Triton and Cobalt paging) must take no longer than 1.2× the slowest single connection's own
 * sequential page chain, i.e. the fan-out adds (almost) nothing to the unavoidable part.
 */
import type { RecordedRequest } from '../src/local/simulators/base.js';
import { ProviderRegistry } from '../src/providers/registry.js';
import { BENCH_DEPS, LATENCY_MS, Replayer, startFleet, type Fleet } from './fanout-fleet.js';
import { median, round2, timed, type BenchResult } from './types.js';

/** Module name shown in the summary. */
export const name = 'providers-fanout';

const RUNS = 7;
const TARGET_RATIO = 1.2;

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
async function fanOut(fleet: Fleet): Promise<{ ms: number; recorded: RecordedRequest[][] }> {
  const registry = new ProviderRegistry(fleet.configs, BENCH_DEPS);
  const marks = fleet.connections.map((c) => c.sim.requests.length);
  const { ms, value } = await timed(() =>
    Promise.allSettled(
      fleet.connections.map(async (c) => (await registry.adapter(c.config.provider, c.config.name)).list()),
    ),
  );
  value.forEach((r, i) => {
    const c = fleet.connections[i];
    if (!c) return;
    if (r.status === 'rejected') throw new Error(`${c.key} failed to list: ${String(r.reason)}`);
    if (r.value.length < c.seeded) throw new Error(`${c.key} listed ${r.value.length} of ${c.seeded} tokens`);
  });
  return { ms, recorded: fleet.connections.map((c, i) => c.sim.requests.slice(marks[i])) };
}

/**
 * The floor, measured by replaying each connection's exact request sequence from the fan-out just
 * run (same paths, queries, headers, bodies, same simulator and latency), strictly one request after
 * another. The adapters cannot be told to page sequentially (Triton fetches pages 2..n in parallel),
 * and replaying what they really sent keeps the chain faithful, including Vector Charts' login. It
 * skips the adapters' parsing, so the floor is, if anything, a little low: the ratio errs strict.
 * The connections are replayed one after another, so the total is the naive fully sequential walk.
 */
async function floorOf(fleet: Fleet, recorded: RecordedRequest[][], replayer: Replayer) {
  let floor = 0;
  let floorKey = '';
  let naive = 0;
  for (const [i, c] of fleet.connections.entries()) {
    const { ms } = await timed(() => replayer.replay(c.sim, recorded[i] ?? []));
    naive += ms;
    if (ms > floor) [floor, floorKey] = [ms, c.key];
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
  const requests = recorded.reduce((n, r) => n + r.length, 0);
  return { wall, floor, floorKey, naive, aloneMax, oneByOne: total, requests };
}

function summarize(samples: Sample[]): BenchResult[] {
  const m = (f: (s: Sample) => number) => round2(median(samples.map(f)));
  const ratio = m((s) => s.wall / s.floor);
  const keys = [...new Set(samples.map((s) => s.floorKey))].join(', ');
  const setup = `10 connections, ${samples[0]?.requests ?? 0} requests, ${LATENCY_MS} ms each, median of ${RUNS}`;
  return [
    { name: 'fan-out wall (all 10 in parallel)', value: m((s) => s.wall), unit: 'ms', note: setup },
    { name: 'floor (slowest sequential chain)', value: m((s) => s.floor), unit: 'ms', note: `slowest: ${keys}` },
    {
      name: 'ratio wall / floor',
      value: ratio,
      unit: '×',
      target: TARGET_RATIO,
      ok: ratio <= TARGET_RATIO,
      note: 'median of per-run ratios',
    },
    {
      name: 'ratio wall / slowest adapter alone',
      value: m((s) => s.wall / s.aloneMax),
      unit: '×',
      note: 'fan-out overhead over the slowest list() run alone',
    },
    {
      name: 'naive fully sequential',
      value: m((s) => s.naive),
      unit: 'ms',
      note: `every request one after another; ${m((s) => s.naive / s.wall)}× the fan-out`,
    },
    {
      name: 'adapters one by one',
      value: m((s) => s.oneByOne),
      unit: 'ms',
      note: `each list() awaited in turn; ${m((s) => s.oneByOne / s.wall)}× the fan-out`,
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
