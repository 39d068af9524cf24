/**
 * Issue: the Slack ingress must be lighter than a bare Bolt app (App + AwsLambdaReceiver, one /token
 * listener that only acks), although it does real work.
 * - Cold: bundle size (≤ 25 %) and import time of the bundles in fresh processes (medians, ≤ 0.5×),
 *   built with the deployed esbuild options (cdk/esbuild-options.ts).
 * - Warm: signed slash command in → ack body out, in process, p50 and p99 (≤ 1.5×). Ours parses,
 *   authorizes (directory cache warm) and enqueues to the in-process queue.
 * - Worker: one /token create job end to end against 0 ms simulators; the time in our code is the
 *   total minus the time the simulators, the Slack stand-in and dynalite spent serving it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildIngressBundles, slashCommandEvent, type BuiltBundle } from './fixtures/ingress-bundles.js';
import { coldConfig, warmHandlers, SIGNING_SECRET, TEAM } from './fixtures/ingress-handlers.js';
import { workerJobTimings } from './fixtures/worker-job.js';
import { median, round2, type BenchResult } from './types.js';

/** Module name shown in the summary. */
export const name = 'slack-ingress';

const COLD_RUNS = 15;
const WARM_RUNS = 2000;
const WARMUP = 500;

// In a fresh process: import the bundle, then answer one signed `/token help`.
const COLD = `
const t0 = performance.now();
const m = await import(process.argv[1]);
const loaded = performance.now() - t0;
const r = await m.handler(JSON.parse(process.argv[2]), {});
const firstAck = performance.now() - t0;
if (r.statusCode !== 200) throw new Error('status ' + r.statusCode + ' ' + r.body);
process.stdout.write('\\n' + JSON.stringify({ loaded, firstAck }));
process.exit(0);
`;

/** One fresh-process cold start of a bundle: import time, and import + first ack. */
function coldOnce(bundle: BuiltBundle, env: Record<string, string>): Promise<{ loaded: number; firstAck: number }> {
  const event = slashCommandEvent(SIGNING_SECRET, { text: 'help', userId: 'U0ALICE', teamId: TEAM });
  const args = ['--input-type=module', '-e', COLD, pathToFileURL(bundle.file).href, JSON.stringify(event)];
  return new Promise((resolve, reject) =>
    execFile(process.execPath, args, { env: { PATH: process.env['PATH'] ?? '', ...env } }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${err.message}\n${stderr}`));
      resolve(JSON.parse(stdout.slice(stdout.lastIndexOf('\n') + 1)) as { loaded: number; firstAck: number });
    }),
  );
}

/** Cold-start figures: sizes, and medians over fresh processes, the two bundles alternating. */
async function cold(dir: string): Promise<BenchResult[]> {
  const { slim, bare } = await buildIngressBundles(dir);
  const configFile = join(dir, 'tokenops.config.json');
  writeFileSync(configFile, JSON.stringify(coldConfig()));
  const oursEnv = {
    TOKENOPS_CONFIG_FILE: configFile,
    TOKENOPS_TABLE: 'bench',
    TOKENOPS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/bench',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDBENCH',
    AWS_SECRET_ACCESS_KEY: 'bench',
  };
  const bareEnv = { BARE_BOLT_SIGNING_SECRET: SIGNING_SECRET };
  const ours: { loaded: number; firstAck: number }[] = [];
  const theirs: { loaded: number; firstAck: number }[] = [];
  await coldOnce(slim, oursEnv); // warms the OS file cache for both
  await coldOnce(bare, bareEnv);
  for (let i = 0; i < COLD_RUNS; i++) {
    theirs.push(await coldOnce(bare, bareEnv));
    ours.push(await coldOnce(slim, oursEnv));
  }
  const m = (xs: { loaded: number; firstAck: number }[], k: 'loaded' | 'firstAck') => median(xs.map((x) => x[k]));
  const sizeRatio = slim.bytes / bare.bytes;
  const loadRatio = m(ours, 'loaded') / m(theirs, 'loaded');
  const note = `medians of ${COLD_RUNS} fresh processes each`;
  return [
    { name: 'bundle size, ingress', value: round2(slim.bytes / 1024), unit: 'KB' },
    { name: 'bundle size, bare Bolt', value: round2(bare.bytes / 1024), unit: 'KB' },
    { name: 'bundle size ratio', value: round2(sizeRatio), unit: '×', target: 0.25, ok: sizeRatio <= 0.25 },
    { name: 'cold import, ingress', value: round2(m(ours, 'loaded')), unit: 'ms', note },
    { name: 'cold import, bare Bolt', value: round2(m(theirs, 'loaded')), unit: 'ms', note },
    { name: 'cold import ratio', value: round2(loadRatio), unit: '×', target: 0.5, ok: loadRatio <= 0.5 },
    {
      name: 'cold import + first help ack, ingress',
      value: round2(m(ours, 'firstAck')),
      unit: 'ms',
      note: 'includes config load and validation and building the app',
    },
    { name: 'cold import + first help ack, bare Bolt', value: round2(m(theirs, 'firstAck')), unit: 'ms' },
  ];
}

/** The p-th percentile (nearest rank) of a list. */
function percentile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}

/** Warm-path figures: both handlers in this process, the same signed command, alternating. */
async function warm(): Promise<BenchResult[]> {
  const h = await warmHandlers();
  try {
    const events = (text: string, n: number) =>
      Array.from({ length: n }, (_, i) =>
        slashCommandEvent(SIGNING_SECRET, { text, userId: 'U0ALICE', teamId: TEAM }, i),
      );
    const bareEvents = events('list mailtrap', WARMUP + WARM_RUNS);
    const ourEvents = events('list mailtrap', WARMUP + WARM_RUNS);
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < WARMUP + WARM_RUNS; i++) {
      const t0 = performance.now();
      const b = await h.bare(bareEvents[i] as never, {} as never);
      const t1 = performance.now();
      const o = await h.ours(ourEvents[i] as never, {} as never);
      const t2 = performance.now();
      if (b.statusCode !== 200 || o.statusCode !== 200 || !String(o.body).includes('Working on it'))
        throw new Error(`unexpected ack: ${b.statusCode} / ${o.statusCode} ${o.body}`);
      if (i >= WARMUP) {
        theirs.push(t1 - t0);
        ours.push(t2 - t1);
      }
    }
    if (h.queued() < WARMUP + WARM_RUNS) throw new Error(`only ${h.queued()} jobs were queued`);
    const row = (p: number): BenchResult[] => {
      const [o, t] = [percentile(ours, p), percentile(theirs, p)];
      const note = `${WARM_RUNS} signed /token list; Slack users.info calls: ${h.slackCalls()}`;
      return [
        { name: `warm p${p}, ingress`, value: round2(o), unit: 'ms', note },
        { name: `warm p${p}, bare Bolt`, value: round2(t), unit: 'ms' },
        { name: `warm p${p} ratio`, value: round2(o / t), unit: '×', target: 1.5, ok: o / t <= 1.5 },
      ];
    };
    return [...row(50), ...row(99)];
  } finally {
    await h.close();
  }
}

/** Worker figures: one create job, first (cold adapters) and the median of the next ones. */
async function worker(): Promise<BenchResult[]> {
  const runs = await workerJobTimings(6);
  const [first, ...rest] = runs;
  if (!first) return [];
  const med = (k: keyof typeof first) => median(rest.map((r) => r[k] as number));
  const results: BenchResult[] = [];
  for (const [label, pick] of [
    ['first job', (k: keyof typeof first) => first[k] as number],
    [`median of next ${rest.length}`, med],
  ] as const) {
    results.push(
      { name: `worker create, total (${label})`, value: round2(pick('totalMs')), unit: 'ms' },
      { name: `worker create, provider sim (${label})`, value: round2(pick('providerMs')), unit: 'ms' },
      { name: `worker create, Slack stand-in (${label})`, value: round2(pick('slackMs')), unit: 'ms' },
      {
        name: `worker create, dynalite (${label})`,
        value: round2(pick('dynamoMs')),
        unit: 'ms',
        note: `${pick('dynamoCalls')} round trips: ${first.dynamoOps}`,
      },
      { name: `worker create, our code (${label})`, value: round2(pick('ourMs')), unit: 'ms' },
    );
  }
  return results;
}

/** Runs the three parts. */
export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tokenops-bench-ingress-'));
  try {
    return [...(await cold(dir)), ...(await warm()), ...(await worker())];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
