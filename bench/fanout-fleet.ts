import { Agent, request } from 'undici';
import { type ProviderType } from '../src/core/token.js';
import { PROVIDER_TYPES } from '../src/providers/descriptors.js';
import { parseOrThrow } from '../src/core/validation.js';
import type { AdapterDeps } from '../src/providers/adapter-deps.js';
import { connectionSchema, type ConnectionConfig } from '../src/providers/config.js';
import type { ProviderSimulator, RecordedRequest } from '../src/local/simulators/base.js';
import { startCobaltSimulator } from '../src/providers/cobalt/simulator.js';
import { startSimulator } from '../src/local/simulators/index.js';
import { startTritonSimulator } from '../src/providers/triton/simulator.js';

/** Simulated provider latency per request, as issue 2 specifies. */
export const LATENCY_MS = 50;

/**
 * Adapter deps of the benchmark: the production HTTP client defaults (shared keep-alive Agent), except
 * no retries, so a failing request fails the run instead of hiding inside a slower figure.
 */
export const BENCH_DEPS: AdapterDeps = { fingerprintKey: 'bench-fingerprint-key', retry: { maxRetries: 0 } };

type Spec = { start: () => Promise<ProviderSimulator>; tokens: number };

/** A provider's simulator as shipped, with 20 tokens (Vector Charts: a cold adapter logs in, then lists). */
const defaultSpec = (provider: ProviderType): Spec => ({
  start: () => startSimulator(provider, { fingerprintKey: BENCH_DEPS.fingerprintKey }),
  tokens: 20,
});

/** The paging providers, seeded so that they page. */
const SPECS: Partial<Record<ProviderType, Spec>> = {
  // per=10 and 60 tokens: 6 numbered pages.
  triton: { start: () => startTritonSimulator({ pageSize: 10 }), tokens: 60 },
  // limit=10 and 50 tokens: 5 cursor pages. The per-user GET limit (100/min) is lifted: the bench lists
  // the same connection ~30 times a minute, and a 509 would measure the rate limiter, not the fan-out.
  cobalt: {
    start: () => startCobaltSimulator({ pageSize: 10, rateLimits: { get: 1_000_000, mutate: 20 } }),
    tokens: 50,
  },
};

/** One connection of the fleet: its config and the simulator behind it (one simulator per connection). */
export interface FleetConnection {
  key: string;
  config: ConnectionConfig;
  sim: ProviderSimulator;
  /** Tokens seeded; a list must return at least these. */
  seeded: number;
}

/** Ten connections (every provider × 2), each its own simulator with 50 ms latency per request. */
export interface Fleet {
  connections: FleetConnection[];
  configs: ConnectionConfig[];
  close(): Promise<void>;
}

/** Starts and seeds the ten simulators. */
export async function startFleet(perProvider = 2): Promise<Fleet> {
  const connections: FleetConnection[] = [];
  const started: ProviderSimulator[] = [];
  try {
    for (const provider of PROVIDER_TYPES) {
      for (let i = 1; i <= perProvider; i++) {
        const spec = SPECS[provider] ?? defaultSpec(provider);
        const sim = await spec.start();
        started.push(sim);
        for (let t = 0; t < spec.tokens; t++) sim.seedToken(`bench-${provider}-${i}-${t}`);
        sim.setLatency(LATENCY_MS);
        const name = `conn${i}`;
        const raw = { ...sim.connectionConfig(), provider, name, baseUrl: sim.url };
        const config = parseOrThrow(connectionSchema, raw, `bench connection ${provider}:${name}`);
        connections.push({ key: `${provider}:${name}`, config, sim, seeded: spec.tokens });
      }
    }
  } catch (err) {
    await Promise.all(started.map((s) => s.close()));
    throw err;
  }
  return {
    connections,
    configs: connections.map((c) => c.config),
    close: async () => {
      await Promise.all(started.map((s) => s.close()));
    },
  };
}

/** Headers that describe the recorded connection, not the request, and must not be replayed. */
const HOP_HEADERS = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

/**
 * Sends recorded requests again, strictly one after another, on a keep-alive pool of its own: the
 * sequential page chain of one connection, request for request what its adapter sent.
 */
export class Replayer {
  readonly #agent = new Agent({ keepAliveTimeout: 30_000, connections: 32, pipelining: 1 });

  /** Replays each wave after the previous one, the requests of a wave at once (as they were sent). */
  async replayWaves(sim: ProviderSimulator, waves: readonly (readonly RecordedRequest[])[]): Promise<void> {
    for (const wave of waves) await Promise.all(wave.map((r) => this.replay(sim, [r])));
  }

  async replay(sim: ProviderSimulator, recorded: readonly RecordedRequest[]): Promise<void> {
    const origin = new URL(sim.url).origin;
    for (const r of recorded) {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(r.headers))
        if (v !== undefined && !HOP_HEADERS.has(k)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      const query = r.query.toString();
      const body = r.body === undefined ? undefined : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
      const res = await request(`${origin}${r.path}${query ? `?${query}` : ''}`, {
        method: r.method as 'GET',
        headers,
        body,
        dispatcher: this.#agent,
      });
      // Read the whole body, as the adapter does, before the next request may start.
      await res.body.text();
      if (res.statusCode >= 300) throw new Error(`replayed ${r.method} ${r.path} answered HTTP ${res.statusCode}`);
    }
  }

  close(): Promise<void> {
    return this.#agent.close();
  }
}
