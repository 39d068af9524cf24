/**
 * Bulk revoke (issue 11): through the production path (signed slash command → preview → typed
 * confirmation → queue fan-out → two workers sharing the DynamoDB limiter → simulators), the wall time
 * from the confirmation to the job's end, as a ratio to the least time the providers' documented limits
 * allow for the requests the simulators actually received.
 *   1. 300 Mailtrap tokens at Mailtrap's documented 150 requests / 10 s.
 *   2. 5 providers × 60 tokens at once, each at its own limit, windows scaled down ×10 (Cobalt's
 *      20 mutations/min would make one run take 3 minutes): wall ÷ the slowest provider's minimum.
 */
import { minimumMs, ruleApplies, type RateRule } from '../src/core/rate-limit.js';
import { PROVIDER_RATE_RULES } from '../src/providers/descriptors.js';
import type { ProviderType } from '../src/providers/descriptors.js';
import type { ProviderSimulator } from '../src/local/simulators/base.js';
import { startLocalStack, type LocalStack } from '../src/local/stack.js';
import { round2, type BenchResult } from './types.js';

export const name = 'bulk-revoke';

const SAM = 'U0SAM';

/** Every documented window scaled by `f` (limits unchanged): the same rates, `1/f` times faster. */
function scaled(f: number): Record<ProviderType, readonly RateRule[]> {
  const out = {} as Record<ProviderType, readonly RateRule[]>;
  for (const [p, rules] of Object.entries(PROVIDER_RATE_RULES))
    out[p as ProviderType] = rules.map((r) => ({ ...r, windowMs: r.windowMs * f }));
  return out;
}

/** The least time a provider's requests since `since` need under its rules (its tightest rule). */
function floorMs(sim: ProviderSimulator, rules: readonly RateRule[], since: number): number {
  const reqs = sim.requests.filter((r) => r.at >= since);
  return Math.max(0, ...rules.map((rule) => minimumMs(rule, reqs.filter((r) => ruleApplies(rule, r.method)).length)));
}

/** Sends the selection; returns the preview's response_url (its buttons) after checking the count. */
async function preview(stack: LocalStack, selection: string, total: number): Promise<string> {
  const { responseUrl } = await stack.standin.slashCommand({ user: SAM, text: `revoke ${selection}` });
  await stack.queue.drain();
  const body = JSON.stringify(stack.standin.responses.filter((r) => r.responseUrl === responseUrl).at(-1)?.body);
  if (!body.includes(`revoke ${total} tokens`)) throw new Error(`unexpected preview: ${body.slice(0, 1500)}`);
  return responseUrl;
}

/** Previews, then confirms every job by typing its count; the wall time from the first confirmation to the last token. */
async function revokeAll(
  stack: LocalStack,
  jobs: { selection: string; total: number }[],
): Promise<{ ms: number; t0: number }> {
  const urls = [];
  for (const j of jobs) urls.push(await preview(stack, j.selection, j.total));
  const t0 = Date.now();
  const start = performance.now();
  for (const [i, j] of jobs.entries()) {
    await stack.standin.clickButton({ user: SAM, actionId: 'bulk_confirm_typed', responseUrl: urls[i] as string });
    await stack.standin.submitView({ user: SAM, values: { count: String(j.total) } });
  }
  await stack.queue.drain();
  const ms = performance.now() - start;
  for (const j of jobs) {
    const done = stack.standin
      .messages()
      .some((m) => !m.replacedBy && JSON.stringify(m.blocks).includes(`*${j.total}* revoked`));
    if (!done) throw new Error(`the bulk job ${j.selection} did not revoke every token`);
  }
  return { ms, t0 };
}

async function mailtrap300(): Promise<BenchResult> {
  const stack = await startLocalStack({ workers: 2 });
  try {
    const sim = stack.sims['mailtrap:default'] as ProviderSimulator;
    for (let i = 0; i < 300; i++) sim.seedToken(`bulk-bench-${i}`);
    const { ms, t0 } = await revokeAll(stack, [{ selection: '--provider mailtrap --name bulk-bench', total: 300 }]);
    const floor = floorMs(sim, PROVIDER_RATE_RULES.mailtrap, t0);
    return {
      name: '300 Mailtrap tokens, wall ÷ 150 req/10 s minimum',
      value: round2(ms / 1000),
      unit: 's',
      baseline: {
        label: `${sim.requests.filter((r) => r.at >= t0).length} requests at 150/10 s`,
        value: round2(floor / 1000),
      },
      target: 1.1,
      note: 'two workers, shared DynamoDB limiter, documented limit',
    };
  } finally {
    await stack.close();
  }
}

const FIVE = ['mailtrap:default', 'cobalt:default', 'triton:prod', 'vaultoro:default', 'vectorcharts:default'];

async function fiveProviders(): Promise<BenchResult> {
  const f = 0.1;
  const rules = scaled(f);
  // No demo tokens: the selections are exactly the 300 seeded.
  const stack = await startLocalStack({
    workers: 2,
    rateRules: rules,
    rateMarginMs: 250 * f,
    simWindowScale: f,
    demo: false,
  });
  try {
    for (const key of FIVE)
      for (let i = 0; i < 60; i++) (stack.sims[key] as ProviderSimulator).seedToken(`multi-bench-${i}`);
    // Vaultoro tokens have no names: its 60 go as a second job, confirmed right after the first.
    const { ms, t0 } = await revokeAll(stack, [
      { selection: '--name multi-bench', total: 240 },
      { selection: '--provider vaultoro', total: 60 },
    ]);
    const floors = FIVE.map((key) =>
      floorMs(stack.sims[key] as ProviderSimulator, rules[key.split(':')[0] as ProviderType], t0),
    );
    const slowest = Math.max(...floors);
    return {
      name: '5 providers × 60 tokens, wall ÷ slowest provider minimum',
      value: round2(ms / 1000),
      unit: 's',
      baseline: { label: 'Cobalt 60 mutations at 20/min, windows ×0.1', value: round2(slowest / 1000) },
      target: 1.1,
      note: 'all windows scaled ×0.1 (limits unchanged)',
    };
  } finally {
    await stack.close();
  }
}

export async function run(): Promise<BenchResult[]> {
  const first = await mailtrap300();
  console.log(`  ${first.name}: ${first.value} s vs ${first.baseline?.value} s`);
  return [first, await fiveProviders()];
}
