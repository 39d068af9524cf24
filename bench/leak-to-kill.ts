/**
 * Leak to kill: a signed scanner report (`POST /leaks`) received → the kill request arriving at the
 * provider simulator, through the production path (signed HTTP → leak intake → fingerprint → match →
 * kill-first revoke → adapter). Warm, policy autoRevoke, 50 ms provider latency, 20 runs per provider,
 * p50 as a ratio to one provider round trip measured side by side (a bare GET, same latency).
 * Mailtrap, Triton, Cobalt and Vaultoro tokens are matched in the token index (minted through
 * tokenops); Vector Charts by a live listing, which it needs anyway (its REF holds a hash of the id).
 */
import { request } from 'undici';
import { signLeakReport } from '../src/core/leak-door.js';
import { fingerprint } from '../src/core/secret.js';
import type { ProviderType } from '../src/core/token.js';
import { LOCAL } from '../src/local/demo.js';
import type { ProviderSimulator, RecordedRequest } from '../src/local/simulators/base.js';
import { startLocalStack, type LocalStack } from '../src/local/stack.js';
import { median, round2, type BenchResult } from './types.js';

export const name = 'leak-to-kill';

const RUNS = 20;
const WARMUP = 3;
const LATENCY = 50;
const PROVIDERS = [
  { provider: 'mailtrap', sim: 'mailtrap:default', kill: 'DELETE', target: 1.3, indexed: true },
  { provider: 'triton', sim: 'triton:prod', kill: 'PUT', target: 1.3, indexed: true },
  { provider: 'cobalt', sim: 'cobalt:default', kill: 'POST', target: 1.3, indexed: true },
  { provider: 'vaultoro', sim: 'vaultoro:default', kill: 'DELETE', target: 1.3, indexed: true },
  { provider: 'vectorcharts', sim: 'vectorcharts:default', kill: 'DELETE', target: 2.3, indexed: false },
] as const;

/** Resolves with the time the next request of `method` reaches the simulator (stamped on arrival). */
function nextArrival(sim: ProviderSimulator, method: string): Promise<number> {
  const requests = sim.requests as RecordedRequest[] & { push: (...r: RecordedRequest[]) => number };
  const original = requests.push;
  return new Promise((resolve) => {
    requests.push = function (...items: RecordedRequest[]): number {
      if (items.some((r) => r.method === method)) {
        requests.push = original;
        resolve(performance.now());
      }
      return original.apply(this, items);
    };
  });
}

/** A token as if minted through tokenops: a record in the token index, matched by fingerprint. */
async function remember(stack: LocalStack, p: (typeof PROVIDERS)[number], id: string, secret: string) {
  const conn = p.sim.split(':')[1] as string;
  await stack.stores.tokens.put({
    ref: `${p.provider}:${conn}/${id}`,
    provider: p.provider as ProviderType,
    connection: conn,
    name: `leak-bench-${id}`,
    owner: 'U0ALICE',
    fingerprint: fingerprint(secret, LOCAL.fingerprintKey),
    last4: secret.slice(-4),
    createdAt: new Date().toISOString(),
  });
}

/**
 * Cobalt documents 20 mutations a minute and the shared limiter keeps it (a burst of one, then one per
 * ~3.2 s): one leak report meets a full bucket, so each run waits out the refill first, off the clock.
 */
const REFILL_MS: Partial<Record<string, number>> = { cobalt: 3300 };

async function oneLeak(stack: LocalStack, p: (typeof PROVIDERS)[number], i: number): Promise<number> {
  const wait = REFILL_MS[p.provider];
  if (wait) await new Promise((r) => setTimeout(r, wait));
  const sim = stack.sims[p.sim] as ProviderSimulator;
  const seeded = sim.seedToken(`leak-bench-${i}-${Date.now()}`);
  if (p.indexed) await remember(stack, p, seeded.id, seeded.secret);
  const body = JSON.stringify([
    { token: seeded.secret, type: `${p.provider}_token`, url: 'https://x.test', source: 'bench' },
  ]);
  const ts = String(Math.floor(Date.now() / 1000));
  const headers = {
    'content-type': 'application/json',
    'x-tokenops-timestamp': ts,
    'x-tokenops-signature': signLeakReport(LOCAL.leakSigningSecret, ts, body),
  };
  const arrived = nextArrival(sim, p.kill);
  const t0 = performance.now();
  const res = await request(stack.leaksUrl, { method: 'POST', headers, body });
  const answer = await res.body.text();
  const killed = await arrived;
  await stack.queue.drain();
  if (!answer.includes('true_positive')) throw new Error(`${p.provider}: no match: ${answer.slice(0, 200)}`);
  (sim as ProviderSimulator & { advanceTime?: (ms: number) => void }).advanceTime?.(60_000);
  return killed - t0;
}

async function roundTrip(sim: ProviderSimulator): Promise<number> {
  const t0 = performance.now();
  const res = await request(`${sim.url}/bench-round-trip`);
  await res.body.dump();
  return performance.now() - t0;
}

export async function run(): Promise<BenchResult[]> {
  const leakPolicy = { '*': 'autoRevoke' } as const;
  const stack = await startLocalStack({ demo: true, leakPolicy });
  const out: BenchResult[] = [];
  try {
    for (const p of PROVIDERS) {
      const sim = stack.sims[p.sim] as ProviderSimulator;
      sim.setLatency(LATENCY);
      for (let i = 0; i < WARMUP; i++) await oneLeak(stack, p, i);
      const kills: number[] = [];
      const trips: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        kills.push(await oneLeak(stack, p, i));
        trips.push(await roundTrip(sim));
      }
      sim.setLatency(0);
      const trip = median(trips);
      const p50 = median(kills);
      out.push({
        name: `${p.provider} leak report→kill @${LATENCY} ms`,
        value: round2(p50 / trip),
        unit: '× round trip',
        target: p.target,
        note: `p50 ${round2(p50)} ms; round trip p50 ${round2(trip)} ms; matched by ${p.indexed ? 'token index' : 'live listing'}`,
      });
    }
    return out;
  } finally {
    await stack.close();
  }
}
