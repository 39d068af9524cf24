/**
 * Warm ingress: a signed `/token list mailtrap` in → ack body out, in this process, ours vs a bare
 * Bolt app (App + AwsLambdaReceiver, `convoStore: false`, one listener that only acks), alternating,
 * p50 and p99. Ours verifies, parses, authorizes (directory cache warm) and sends the job to SQS — the
 * real aws-lite.ts code, signed, over node:https keep-alive to a loopback stub. The SQS send is work
 * the bare app does not do; it is timed on its own (signing + round trip) and taken out of our time
 * to give the CPU part the target is about. The wire part of the send (request start → response,
 * from Node's http diagnostics channels) is reported separately.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { slashCommandEvent } from './fixtures/ingress-bundles.js';
import { warmHandlers, SIGNING_SECRET, TEAM } from './fixtures/ingress-handlers.js';
import { percentile, round2, type BenchResult } from './types.js';

/** Module name shown in the summary. */
export const name = 'warm-ack';

const RUNS = 3000;
const WARMUP = 500;

/** Sums the time HTTP client requests spend between start and response while it is installed. */
function wireClock(): { take(): number; stop(): void } {
  const started = new WeakMap<object, number>();
  let total = 0;
  const onStart = (m: unknown) => started.set((m as { request: object }).request, performance.now());
  const onFinish = (m: unknown) => {
    const t = started.get((m as { request: object }).request);
    if (t !== undefined) total += performance.now() - t;
  };
  subscribe('http.client.request.start', onStart);
  subscribe('http.client.response.finish', onFinish);
  return {
    take: () => {
      const t = total;
      total = 0;
      return t;
    },
    stop: () => {
      unsubscribe('http.client.request.start', onStart);
      unsubscribe('http.client.response.finish', onFinish);
    },
  };
}

/** Runs both handlers RUNS times (after WARMUP), alternating, and returns the per-request times. */
async function measure() {
  const h = await warmHandlers();
  const wire = wireClock();
  try {
    const event = (i: number) =>
      slashCommandEvent(SIGNING_SECRET, { text: 'list mailtrap', userId: 'U0ALICE', teamId: TEAM }, i);
    const s = { total: [] as number[], cpu: [] as number[], send: [] as number[], wire: [] as number[] };
    const bare: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const [be, oe] = [event(i), event(i)];
      const t0 = performance.now();
      const b = await h.bare(be as never, {} as never);
      const t1 = performance.now();
      wire.take();
      h.takeSendMs();
      const o = await h.ours(oe as never, {} as never);
      const t2 = performance.now();
      const [send, onWire] = [h.takeSendMs(), wire.take()];
      if (b.statusCode !== 200 || o.statusCode !== 200 || !String(o.body).includes('Working on it'))
        throw new Error(`unexpected ack: ${b.statusCode} / ${o.statusCode} ${o.body}`);
      if (i < WARMUP) continue;
      bare.push(t1 - t0);
      s.total.push(t2 - t1);
      s.send.push(send);
      s.wire.push(onWire);
      s.cpu.push(t2 - t1 - send);
    }
    if (h.sqsSends() < WARMUP + RUNS) throw new Error(`only ${h.sqsSends()} jobs reached SQS`);
    return { s, bare, slackCalls: h.slackCalls() };
  } finally {
    wire.stop();
    await h.close();
  }
}

/** Warm-path figures. */
export async function run(): Promise<BenchResult[]> {
  const { s, bare, slackCalls } = await measure();
  const p = (xs: number[], q: number) => round2(percentile(xs, q));
  const base = (q: number) => ({ label: 'bare Bolt, convoStore off', value: p(bare, q) });
  const note = `${RUNS} signed /token list after ${WARMUP} warm-up; users.info calls: ${slackCalls}`;
  return [
    { name: 'warm ack p50, CPU part', value: p(s.cpu, 50), unit: 'ms', baseline: base(50), target: 1.2, note },
    { name: 'warm ack p99, CPU part', value: p(s.cpu, 99), unit: 'ms', baseline: base(99), target: 1.5 },
    {
      name: 'warm ack p50, SQS send (I/O part)',
      value: p(s.send, 50),
      unit: 'ms',
      note: `p99 ${p(s.send, 99)} ms; of which on the wire p50 ${p(s.wire, 50)} ms, p99 ${p(s.wire, 99)} ms`,
    },
    { name: 'warm ack p50, whole', value: p(s.total, 50), unit: 'ms', baseline: base(50), note: 'CPU part + SQS send' },
    { name: 'warm ack p99, whole', value: p(s.total, 99), unit: 'ms', baseline: base(99) },
  ];
}
