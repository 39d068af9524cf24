/**
 * Cold start on the deployed path, whole processes: `node --enable-source-maps` (as the stack sets
 * NODE_OPTIONS) starts, imports the bundle, and answers one signed `/token list mailtrap`, which on a
 * cold container means: the Slack secret from Secrets Manager, `users.info` for the caller, the job to
 * SQS, the ack. Secrets Manager, SQS and Slack are loopback stubs (bench/fixtures/aws-slack-stubs.ts).
 * - tokenops: src/handlers/ingress.ts, built with the deployed esbuild options;
 * - stock: Bolt + AwsLambdaReceiver doing the same calls through the AWS SDK v3 and Bolt's client
 *   (bench/fixtures/bolt-deployed-sdk.ts), bundled the same way without our aliases — the target is
 *   ≤ 0.5× this;
 * - floor: that Bolt app with our aliases and our node:https transport and nothing of tokenops
 *   (bench/fixtures/bolt-deployed-floor.ts) — reported, no target.
 * Figures are medians over fresh processes run in turn (A B C A B C …), timed from outside (spawn to
 * exit). Bundle sizes: the ingress vs a bare Bolt app that only acks, stock and with the same aliases.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESBUILD_ROOT } from '../cdk/esbuild-options.js';
import { startAwsSlackStubs, type AwsSlackStubs } from './fixtures/aws-slack-stubs.js';
import { buildBundle, slashCommandEvent, type BuiltBundle } from './fixtures/ingress-bundles.js';
import { coldConfig, SIGNING_SECRET, TEAM } from './fixtures/ingress-handlers.js';
import { median, round2, type BenchResult } from './types.js';

/** Module name shown in the summary. */
export const name = 'cold-start';

const RUNS = 15;
export const SLACK_SECRET = 'tokenops/slack';
export const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/000000000000/tokenops-jobs';

// In a fresh process: import the bundle, answer one signed command, report, exit.
const RUNNER = `
const t0 = performance.now();
const m = await import(process.argv[1]);
const loaded = performance.now();
const r = await m.handler(JSON.parse(process.argv[2]), {});
const acked = performance.now();
if (r.statusCode !== 200 || !String(r.body).includes('Working on it')) throw new Error('ack ' + r.statusCode + ' ' + r.body);
const undici = process.moduleLoadList.some((x) => x.includes('undici'));
process.stdout.write('\\n' + JSON.stringify({ importMs: loaded - t0, ackSinceStart: acked, rssMb: process.resourceUsage().maxRSS / 1024, undici }));
process.exit(0);
`;

/** What one fresh process measured. */
interface ColdRun {
  wallMs: number;
  importMs: number;
  ackSinceStart: number;
  rssMb: number;
  undici: boolean;
}

/** One whole-process cold start: spawn → import → first ack → exit, timed from outside. */
export function coldOnce(bundle: BuiltBundle, env: Record<string, string>, event: unknown): Promise<ColdRun> {
  const args = ['--enable-source-maps', '--input-type=module', '-e', RUNNER, pathToFileURL(bundle.file).href];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...args, JSON.stringify(event)], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = performance.now() - t0;
      if (code !== 0) return reject(new Error(`cold run of ${bundle.file} exited ${code}:\n${err}`));
      try {
        resolve({ wallMs, ...(JSON.parse(out.slice(out.lastIndexOf('\n') + 1)) as Omit<ColdRun, 'wallMs'>) });
      } catch {
        reject(new Error(`cold run printed no result:\n${out}\n${err}`));
      }
    });
  });
}

/** The environment of each contender: Lambda's AWS variables, endpoints at the stubs. */
export function environments(stubs: AwsSlackStubs, configFile: string) {
  const aws = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDBENCH',
    AWS_SECRET_ACCESS_KEY: 'bench-secret-access-key',
    AWS_SESSION_TOKEN: 'bench-session-token',
    AWS_ENDPOINT_URL_SQS: stubs.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: stubs.url,
  };
  const bolt = {
    ...aws,
    BOLT_SLACK_SECRET_NAME: SLACK_SECRET,
    BOLT_SLACK_API_URL: stubs.slackApiUrl,
    // The SDK's SQS client sends to the queue URL's host; the stub stands in for it.
    BOLT_QUEUE_URL: `${stubs.url}/000000000000/tokenops-jobs`,
  };
  const ours = { ...aws, TOKENOPS_CONFIG_FILE: configFile, TOKENOPS_TABLE: 'bench', TOKENOPS_QUEUE_URL: QUEUE_URL };
  return { ours, bolt };
}

/** The deployed config: Slack secrets and the fingerprint key in Secrets Manager, Slack at the stub. */
export function deployedConfig(stubs: AwsSlackStubs): Record<string, unknown> {
  const base = coldConfig(stubs.slackApiUrl) as { slack: Record<string, unknown> } & Record<string, unknown>;
  const { signingSecret: _s, botToken: _b, ...slack } = base.slack;
  const { fingerprintKey: _f, ...rest } = base;
  return { ...rest, slack: { ...slack, secretName: SLACK_SECRET }, fingerprintKeySecret: 'tokenops/fingerprint' };
}

type Contender = 'tokenops' | 'stock' | 'floor';

/** Runs the three contenders in turn, RUNS times each after one unmeasured round. */
async function measure(bundles: Record<Contender, BuiltBundle>, stubs: AwsSlackStubs, configFile: string) {
  const env = environments(stubs, configFile);
  const envOf: Record<Contender, Record<string, string>> = { tokenops: env.ours, stock: env.bolt, floor: env.bolt };
  const runs: Record<Contender, ColdRun[]> = { tokenops: [], stock: [], floor: [] };
  const order: Contender[] = ['tokenops', 'stock', 'floor'];
  for (let i = 0; i <= RUNS; i++) {
    for (const c of order) {
      const event = slashCommandEvent(SIGNING_SECRET, { text: 'list mailtrap', userId: 'U0ALICE', teamId: TEAM }, i);
      const r = await coldOnce(bundles[c], envOf[c], event);
      if (i > 0) runs[c].push(r); // round 0 warms the OS file cache
    }
  }
  return runs;
}

function coldRows(runs: Record<Contender, ColdRun[]>): BenchResult[] {
  const m = (c: Contender, k: 'wallMs' | 'importMs' | 'rssMb') => round2(median(runs[c].map((r) => r[k])));
  const undici = (c: Contender) => (runs[c].some((r) => r.undici) ? 'loads undici' : 'no undici');
  const note = `median of ${RUNS} processes; ${undici('tokenops')} (stock: ${undici('stock')})`;
  const stock = (k: 'wallMs' | 'importMs' | 'rssMb') => ({ label: 'stock Bolt + SDK', value: m('stock', k) });
  const floor = (k: 'wallMs' | 'importMs' | 'rssMb') => ({ label: 'aliased Bolt, same calls', value: m('floor', k) });
  return [
    {
      name: 'cold start → first list ack',
      value: m('tokenops', 'wallMs'),
      unit: 'ms',
      baseline: stock('wallMs'),
      target: 0.5,
      note,
    },
    {
      name: 'cold start → first list ack, vs floor',
      value: m('tokenops', 'wallMs'),
      unit: 'ms',
      baseline: floor('wallMs'),
      note: 'the floor: Bolt + our aliases + node:https, no tokenops',
    },
    { name: 'cold import (in process)', value: m('tokenops', 'importMs'), unit: 'ms', baseline: stock('importMs') },
    { name: 'cold peak RSS', value: m('tokenops', 'rssMb'), unit: 'MB', baseline: stock('rssMb') },
    { name: 'cold peak RSS, vs floor', value: m('tokenops', 'rssMb'), unit: 'MB', baseline: floor('rssMb') },
  ];
}

function bundleRows(ours: BuiltBundle, stock: BuiltBundle, aliased: BuiltBundle): BenchResult[] {
  const kb = (b: BuiltBundle) => round2(b.bytes / 1024);
  return [
    {
      name: 'bundle size, ingress',
      value: kb(ours),
      unit: 'KB',
      baseline: { label: 'stock Bolt', value: kb(stock) },
      target: 0.25,
    },
    {
      name: 'bundle size, ingress, vs floor',
      value: kb(ours),
      unit: 'KB',
      baseline: { label: 'Bolt + same aliases', value: kb(aliased) },
      note: 'bare Bolt apps that only ack, minified',
    },
  ];
}

/** Builds the bundles, starts the stubs, measures. */
export async function run(): Promise<BenchResult[]> {
  // Inside the repository, so the bundles' external @aws-sdk/* resolve as they do in the Lambda runtime.
  const cache = join(ESBUILD_ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'tokenops-bench-cold-'));
  const slack = JSON.stringify({ signingSecret: SIGNING_SECRET, botToken: 'xoxb-bench' });
  const stubs = await startAwsSlackStubs({ [SLACK_SECRET]: slack, 'tokenops/fingerprint': 'f'.repeat(32) }, TEAM);
  try {
    const [tokenops, stock, floor, bareStock, bareAliased] = await Promise.all([
      buildBundle('src/handlers/ingress.ts', dir, 'ingress', true),
      buildBundle('bench/fixtures/bolt-deployed-sdk.ts', dir, 'stock', false),
      buildBundle('bench/fixtures/bolt-deployed-floor.ts', dir, 'floor', true),
      buildBundle('bench/fixtures/bare-bolt.ts', dir, 'bare-stock', false),
      buildBundle('bench/fixtures/bare-bolt.ts', dir, 'bare-aliased', true),
    ]);
    const configFile = join(dir, 'tokenops.config.json');
    writeFileSync(configFile, JSON.stringify(deployedConfig(stubs)));
    const runs = await measure({ tokenops, stock, floor }, stubs, configFile);
    const perRun = (k: string) => stubs.hits.filter((h) => h.endsWith(k)).length;
    if (perRun('users.info') < 3 * RUNS || perRun('SendMessage') < 3 * RUNS)
      throw new Error(`the stubs saw too few calls: ${perRun('users.info')} users.info, ${perRun('SendMessage')} SQS`);
    return [...coldRows(runs), ...bundleRows(tokenops, bareStock, bareAliased)];
  } finally {
    await stubs.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
