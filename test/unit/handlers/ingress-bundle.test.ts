import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildIngressBundles,
  inputsMatching,
  runBundle,
  slashCommandEvent,
  type BuiltBundle,
  type BundleRun,
} from '../../../bench/fixtures/ingress-bundles.js';

// The deployed ingress bundle, built with the deployed esbuild options, against a bare Bolt app
// built the same way; then loaded in a fresh Node process and driven with signed slash commands.
// This is the guard for the Bolt stubs: a Bolt upgrade that starts to need a stubbed package, or
// that drags in something new and heavy, fails here rather than in production.

const SIGNING_SECRET = 'bundle-test-signing-secret';
const TEAM = 'T0BUNDLE';

interface Recorded {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A loopback HTTP server that records requests and answers with `reply`. */
async function recorder(reply: (r: Recorded) => { status?: number; json: unknown }) {
  const seen: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(r);
      const { status = 200, json } = reply(r);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { seen, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** SQS's JSON protocol, SendMessage only. */
const sqsReply = (r: Recorded) => {
  const { MessageBody } = JSON.parse(r.body) as { MessageBody: string };
  return { json: { MessageId: randomUUID(), MD5OfMessageBody: createHash('md5').update(MessageBody).digest('hex') } };
};

/** Slack's users.info and usergroups.users.list for the test workspace. */
const slackReply = (r: Recorded) => {
  if (r.path.endsWith('/users.info')) {
    const user = new URLSearchParams(r.body).get('user');
    return { json: { ok: true, user: { id: user, team_id: TEAM, deleted: false } } };
  }
  if (r.path.endsWith('/usergroups.users.list')) return { json: { ok: true, users: ['U0SEC'] } };
  return { json: { ok: false, error: 'unknown_method' } };
};

let dir: string;
let slim: BuiltBundle;
let bare: BuiltBundle;
let sqs: Awaited<ReturnType<typeof recorder>>;
let slack: Awaited<ReturnType<typeof recorder>>;
let run: BundleRun;
const queueUrl = 'https://sqs.us-east-1.amazonaws.com/000000000000/tokenops-jobs';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tokenops-ingress-bundle-'));
  [{ slim, bare }, sqs, slack] = await Promise.all([
    buildIngressBundles(dir),
    recorder(sqsReply),
    recorder(slackReply),
  ]);
  const configFile = join(dir, 'tokenops.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      slack: {
        signingSecret: SIGNING_SECRET,
        botToken: 'xoxb-bundle-test',
        botId: 'B0BUNDLE',
        botUserId: 'U0BUNDLEBOT',
        apiUrl: `${slack.url}/api/`,
        allowedTeams: [TEAM],
        auditChannel: 'C0AUDIT',
        timeoutMs: 2000,
        retries: 0,
      },
      fingerprintKey: 'bundle-test-fingerprint-key',
      policy: {
        roles: { engineer: { grants: { '*': ['list'] } }, security: { grants: { '*': ['*'] } } },
        members: [
          { user: 'U0ALICE', roles: ['engineer'] },
          { group: 'S0SEC', roles: ['security'] },
        ],
      },
      connections: [
        { provider: 'mailtrap', name: 'default', baseUrl: 'http://127.0.0.1:9/', credentials: { token: 't' } },
      ],
    }),
  );
  const tampered = slashCommandEvent(SIGNING_SECRET, { text: 'list', userId: 'U0ALICE', teamId: TEAM }, 4);
  tampered.body = tampered.body.replace('U0ALICE', 'U0SEC');
  run = await runBundle(
    slim,
    [
      slashCommandEvent(SIGNING_SECRET, { text: 'help', userId: 'U0ALICE', teamId: TEAM }, 1),
      slashCommandEvent(SIGNING_SECRET, { text: 'list mailtrap', userId: 'U0ALICE', teamId: TEAM }, 2),
      slashCommandEvent(SIGNING_SECRET, { text: 'list', userId: 'U0NOBODY', teamId: TEAM }, 3),
      tampered,
    ],
    {
      TOKENOPS_CONFIG_FILE: configFile,
      TOKENOPS_TABLE: 'unused-by-the-ingress',
      TOKENOPS_QUEUE_URL: queueUrl,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDBUNDLETEST',
      AWS_SECRET_ACCESS_KEY: 'bundle-test-secret-access-key',
      AWS_ENDPOINT_URL_SQS: sqs.url,
    },
  );
}, 30_000);

afterAll(async () => {
  await Promise.all([sqs?.close(), slack?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the Lambda ingress bundle', () => {
  it('is at most a quarter of a bare Bolt app bundled the same way', () => {
    expect(bare.bytes).toBeGreaterThan(1_000_000); // the baseline really is Bolt with everything
    expect(slim.bytes / bare.bytes, `${slim.bytes} B vs ${bare.bytes} B`).toBeLessThanOrEqual(0.25);
  });

  it('leaves out Socket Mode, OAuth, Express, the provider adapters, the AWS SDK and YAML', () => {
    const absent = [
      'node_modules/@slack/socket-mode/',
      'node_modules/@slack/oauth/',
      'node_modules/express/',
      'node_modules/raw-body/',
      'node_modules/iconv-lite/',
      'node_modules/undici/',
      'node_modules/yaml/',
      'node_modules/@aws-sdk/',
      'node_modules/zod/v4/classic/',
      'src/store/',
      'src/providers/registry',
      'src/providers/http',
    ];
    for (const fragment of absent) expect(inputsMatching(slim, fragment), fragment).toEqual([]);
    expect(inputsMatching(slim, 'node_modules/zod/v4/locales/')).toEqual(['node_modules/zod/v4/locales/en.js']);
    // The baseline has them, so the comparison above means something.
    expect(inputsMatching(bare, 'node_modules/express/').length).toBeGreaterThan(0);
  });

  it('answers help and verifies signatures without touching any stubbed package', () => {
    const [help, , , forged] = run.responses;
    expect(help?.statusCode, run.stderr).toBe(200);
    expect(JSON.parse(help?.body ?? '{}')).toMatchObject({ response_type: 'ephemeral' });
    expect(forged?.statusCode).toBe(401);
    expect(run.stubHits).toEqual([]);
    expect(run.stderr).not.toContain('TOKENOPS_STUBBED_MODULE');
  });

  it('authorizes /token list through Slack and enqueues it to SQS, signed, before acking', () => {
    const list = run.responses[1];
    expect(list?.statusCode, list?.body).toBe(200);
    expect(list?.body).toContain('Working on it');
    expect(slack.seen.some((r) => r.path.endsWith('/users.info'))).toBe(true);
    expect(slack.seen.some((r) => r.path.endsWith('/usergroups.users.list'))).toBe(true);
    expect(sqs.seen).toHaveLength(1);
    const [send] = sqs.seen;
    expect(send?.headers['x-amz-target']).toBe('AmazonSQS.SendMessage');
    expect(send?.headers['authorization']).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDBUNDLETEST\/\d{8}\/us-east-1\/sqs\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/,
    );
    const message = JSON.parse(send?.body ?? '{}') as { QueueUrl: string; MessageBody: string };
    expect(message.QueueUrl).toBe(queueUrl);
    expect(JSON.parse(message.MessageBody)).toMatchObject({
      kind: 'command',
      command: { name: 'list', target: { provider: 'mailtrap' } },
      origin: { userId: 'U0ALICE', teamId: TEAM },
    });
  });

  it('makes its Slack and SQS calls without loading undici (the global fetch costs ~145 ms cold)', () => {
    expect(slack.seen.length).toBeGreaterThan(0);
    expect(sqs.seen.length).toBeGreaterThan(0);
    expect(run.undiciLoaded).toBe(false);
  });

  it('refuses a user the policy does not name, with no job queued', () => {
    const refused = run.responses[2];
    expect(refused?.statusCode).toBe(200);
    expect(refused?.body).toContain('Not allowed');
    expect(sqs.seen).toHaveLength(1);
  });
});
