/**
 * Scale: `/token list` and `/token find` on one connection holding 100, 1,000 and 10,000 tokens, per
 * provider, against its simulator with the provider's documented rate limits on (Mailtrap 150
 * requests / 10 s, Cobalt 100 GETs / min per user, answered with 509) and 20 ms per request. list is
 * the adapter's whole walk (production HTTP client: retries, Retry-After up to 5 s); find is the real
 * use case (fan-out, the token index in dynalite, matching) looking for one named token. Figures: wall
 * time and the peak heap growth of this process (which also runs the simulator) while it runs. The
 * baseline of a 1,000- or 10,000-token figure is the 100-token one scaled linearly. A list that fails
 * says why; find must still answer — completely, or saying which connection it could not list.
 */
import { startLocalDynamo, type LocalDynamo } from '../src/local/dynalite.js';
import { startSimulator } from '../src/local/simulators/index.js';
import { findTokens } from '../src/commands/use-cases/read.js';
import { UseCaseContext } from '../src/commands/use-cases/context.js';
import { type ProviderType } from '../src/core/token.js';
import { PROVIDER_TYPES } from '../src/providers/descriptors.js';
import type { Reply } from '../src/commands/reply.js';
import { parseOrThrow } from '../src/core/validation.js';
import { policySchema } from '../src/config/schema.js';
import { connectionSchema } from '../src/providers/config.js';
import { ProviderRegistry } from '../src/providers/registry.js';
import { dynamoStores } from '../src/store/dynamo-store.js';
import { documentClient } from '../src/store/table.js';
import { round2, type BenchResult } from './types.js';

/** Module name shown in the summary. */
export const name = 'scale';

const SIZES = [100, 1_000, 10_000] as const;
const LATENCY_MS = 20;
const KEY = 'bench-fingerprint-key-0000';

/** Runs `fn`, sampling the heap meanwhile; returns its outcome, wall time and peak heap growth. */
async function observe<T>(fn: () => Promise<T>): Promise<{ ms: number; peakMb: number; value?: T; error?: unknown }> {
  const heap = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.external + m.arrayBuffers;
  };
  const base = heap();
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, heap())), 2);
  const t0 = performance.now();
  try {
    const value = await fn();
    return { ms: performance.now() - t0, peakMb: (Math.max(peak, heap()) - base) / 2 ** 20, value };
  } catch (error) {
    return { ms: performance.now() - t0, peakMb: (Math.max(peak, heap()) - base) / 2 ** 20, error };
  } finally {
    clearInterval(timer);
  }
}

/** A find context for one connection: real store and registry, an allowed user. */
function findContext(registry: ProviderRegistry, dynamo: LocalDynamo): UseCaseContext {
  const policy = parseOrThrow(
    policySchema,
    { roles: { sec: { grants: { '*': ['find'] } } }, members: [{ user: 'U0SEC', roles: ['sec'] }] },
    'policy',
  );
  const facts = {
    teamId: 'T0',
    isRestricted: false,
    isUltraRestricted: false,
    isStranger: false,
    deleted: false,
    groups: [],
  };
  const deps = {
    registry,
    stores: dynamoStores(documentClient({ tableName: dynamo.tableName, endpoint: dynamo.endpoint }), dynamo.tableName),
    directory: { user: async () => facts },
    policy,
    allowedTeams: ['T0'],
    fingerprintKey: KEY,
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
  };
  return new UseCaseContext(deps, { userId: 'U0SEC', teamId: 'T0', correlationId: 'bench' }, async () => {
    throw new Error('find delivers nothing');
  });
}

/** What a find answered, in a few words. */
function findOutcome(reply: Reply | undefined, error: unknown): string {
  if (error !== undefined) return `FAILED: ${(error as Error).message.slice(0, 80)}`;
  if (reply?.kind !== 'find') return 'no answer';
  const found = `${reply.matches.length} match`;
  if (!reply.partial) return `${found}, complete`;
  return `${found}, PARTIAL (said so): ${reply.errors
    .map((e) => e.message)
    .join('; ')
    .slice(0, 90)}`;
}

/** One provider at one size: a fresh simulator (fresh rate-limit windows), list then find. */
async function oneCase(provider: ProviderType, size: number, dynamo: LocalDynamo) {
  // Each simulator as shipped: its documented rate limits are its defaults.
  const sim = await startSimulator(provider, { fingerprintKey: KEY });
  try {
    for (let i = 0; i < size; i++) sim.seedToken(i === Math.floor(size / 2) ? `needle-${size}` : `scale-${i}`);
    sim.setLatency(LATENCY_MS);
    const raw = { ...sim.connectionConfig(), provider, name: 'scale', baseUrl: sim.url };
    const config = parseOrThrow(connectionSchema, raw, `${provider}:scale`);
    const registry = new ProviderRegistry([config], { fingerprintKey: KEY });
    const list = await observe(async () => (await registry.adapter(provider, 'scale')).list());
    const find = await observe(() => findTokens(findContext(registry, dynamo), `needle-${size}`));
    const listed = list.error
      ? `FAILED: ${(list.error as Error).message.slice(0, 90)}`
      : `${list.value?.length} tokens`;
    return { list, find, listed, found: findOutcome(find.value, find.error) };
  } finally {
    await sim.close();
  }
}

/** Runs every provider at every size. */
export async function run(): Promise<BenchResult[]> {
  const dynamo = await startLocalDynamo();
  const out: BenchResult[] = [];
  try {
    for (const provider of PROVIDER_TYPES) {
      const base: { list?: number; find?: number } = {};
      for (const size of SIZES) {
        const c = await oneCase(provider, size, dynamo);
        console.log(
          `  ${provider} ${size}: list ${c.list.ms.toFixed(0)} ms (${c.listed}), find ${c.find.ms.toFixed(0)} ms (${c.found})`,
        );
        base.list ??= c.list.ms;
        base.find ??= c.find.ms;
        const linear = (b: number) =>
          size === SIZES[0] ? undefined : { label: `100 × ${size / 100}`, value: round2((b * size) / 100) };
        const lb = linear(base.list);
        const fb = linear(base.find);
        out.push(
          {
            name: `list ${provider} ×${size}`,
            value: round2(c.list.ms),
            unit: 'ms',
            ...(lb ? { baseline: lb } : {}),
            note: `${c.listed}; peak heap +${round2(c.list.peakMb)} MB`,
          },
          {
            name: `find ${provider} ×${size}`,
            value: round2(c.find.ms),
            unit: 'ms',
            ...(fb ? { baseline: fb } : {}),
            note: `${c.found}; peak heap +${round2(c.find.peakMb)} MB`,
          },
        );
      }
    }
    return out;
  } finally {
    await dynamo.close();
  }
}
