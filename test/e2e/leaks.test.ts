import { createHash } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { signLeakReport } from '../../src/core/leak-door.js';
import { LOCAL } from '../../src/local/demo.js';
import type { LocalStack } from '../../src/local/stack.js';
import { documentClient } from '../../src/store/table.js';
import { ALICE, auditPosts, logLines, run, textOf, useStack } from './harness.js';

/** Sends a report to POST /leaks, signed like a scanner would (or with the given headers). */
async function report(
  s: LocalStack,
  body: string,
  headers?: Record<string, string>,
): Promise<{ status: number; json: unknown }> {
  const ts = String(Math.floor(Date.now() / 1000));
  const res = await fetch(s.leaksUrl, {
    method: 'POST',
    headers: headers ?? {
      'content-type': 'application/json',
      'x-tokenops-timestamp': ts,
      'x-tokenops-signature': signLeakReport(LOCAL.leakSigningSecret, ts, body),
    },
    body,
  });
  await s.queue.drain();
  return { status: res.status, json: await res.json() };
}

const sha256 = (v: string): string => createHash('sha256').update(v).digest('hex');
const leak = (token: string, type = 'generic_api_token') =>
  JSON.stringify([{ token, type, url: 'https://gist.github.com/someone/abc', source: 'gist' }]);

/** Everything tokenops kept or sent: Slack calls, queue bodies, every store item, log lines. */
async function everywhere(s: LocalStack): Promise<string> {
  const db = documentClient({ tableName: s.dynamo.tableName, endpoint: s.dynamo.endpoint });
  const items = await db.send(new ScanCommand({ TableName: s.dynamo.tableName }));
  return [JSON.stringify(s.standin.calls), ...s.queue.bodies, JSON.stringify(items.Items), ...logLines].join('\n');
}

describe('leak intake (POST /leaks), end to end', () => {
  const stack = useStack();

  it('kills a leaked Vector Charts token found by live listing; the canary is nowhere but the request', async () => {
    const s = stack();
    const sim = s.sims['vectorcharts:default'];
    const canary = sim?.seedToken('leaked-canary').secret as string;
    expect(await sim?.useSecret(canary)).toBe(200);
    const r = await report(s, leak(canary, 'vectorcharts_token'));
    expect(r.status).toBe(200);
    expect(r.json).toEqual([{ token_hash: sha256(canary), token_type: 'vectorcharts_token', label: 'true_positive' }]);
    expect(await sim?.useSecret(canary)).not.toBe(200);
    const audit = auditPosts(s).join('\n');
    expect(audit).toMatch(/revoke.*succeeded/);
    expect(audit).toMatch(/revoked\* automatically[\s\S]*leaked-canary[\s\S]*gist\.github\.com/);
    expect(await everywhere(s)).not.toContain(canary);
  });

  it('revokes a token tokenops minted (token index) and tells its owner in a DM', async () => {
    const s = stack();
    await run(s, ALICE, 'create mailtrap ci-leaky');
    const dm = s.standin.calls.filter((c) => c.method === 'chat.postEphemeral').at(-1);
    const secret = /```([^`]+)```/.exec(textOf(dm?.args['blocks']))?.[1] as string;
    const r = await report(s, leak(secret, 'mailtrap_api_token'));
    expect(r.json).toEqual([{ token_hash: sha256(secret), token_type: 'mailtrap_api_token', label: 'true_positive' }]);
    expect(await s.sims['mailtrap:default']?.useSecret(secret)).toBe(401);
    const notice = s.standin.calls.filter(
      (c) => c.method === 'chat.postMessage' && textOf(c.args).includes('ci-leaky'),
    );
    expect(
      notice.some((c) => String(c.args['channel']).startsWith('D') && /reported as leaked/.test(textOf(c.args))),
    ).toBe(true);
  });

  it('proposes a Triton match to security with one Revoke button, and changes nothing', async () => {
    const s = stack();
    const sim = s.sims['triton:prod'];
    const secret = sim?.seedToken('prod-reader').secret as string;
    const r = await report(s, leak(secret));
    expect((r.json as { label: string }[])[0]?.label).toBe('true_positive');
    expect(await sim?.useSecret(secret)).toBe(200);
    const card = s.standin.calls
      .filter((c) => c.method === 'chat.postMessage' && textOf(c.args).includes('revoke it?'))
      .at(-1);
    expect(textOf(card?.args)).toMatch(/prod-reader/);
    expect(JSON.stringify(card?.args['blocks'])).toMatch(/"action_id":"revoke_request"/);
  });

  it('answers false_positive for a value that matches no token, and posts nothing', async () => {
    const s = stack();
    const before = s.standin.calls.length;
    const value = 'not-a-real-token-0123456789abcdef';
    const r = await report(s, leak(value));
    expect(r.json).toEqual([{ token_hash: sha256(value), token_type: 'generic_api_token', label: 'false_positive' }]);
    expect(s.standin.calls.slice(before).filter((c) => c.method === 'chat.postMessage')).toEqual([]);
  });

  it('refuses a bad signature, a stale timestamp and a replay with 401, before reading the report', async () => {
    const s = stack();
    const body = leak('whatever-value-123456');
    const ts = String(Math.floor(Date.now() / 1000));
    const bad = await report(s, body, { 'x-tokenops-timestamp': ts, 'x-tokenops-signature': 'sha256=00' });
    expect(bad.status).toBe(401);
    expect(JSON.stringify(bad.json)).toMatch(/signature does not match/);
    expect((await report(s, body, {})).status).toBe(401);
    const old = String(Math.floor(Date.now() / 1000) - 600);
    const stale = await report(s, body, {
      'x-tokenops-timestamp': old,
      'x-tokenops-signature': signLeakReport(LOCAL.leakSigningSecret, old, body),
    });
    expect(JSON.stringify(stale.json)).toMatch(/5-minute window/);
    const headers = {
      'x-tokenops-timestamp': ts,
      'x-tokenops-signature': signLeakReport(LOCAL.leakSigningSecret, ts, body),
    };
    expect((await report(s, body, headers)).status).toBe(200);
    const replay = await report(s, body, headers);
    expect(replay.status).toBe(401);
    expect(JSON.stringify(replay.json)).toMatch(/replays are refused/);
  });

  it('refuses an oversize body with 413, and too many or malformed items with 400', async () => {
    const s = stack();
    expect((await report(s, 'x'.repeat(70 * 1024))).status).toBe(413);
    const many = JSON.stringify(Array.from({ length: 101 }, (_, i) => ({ token: `value-number-${i}`, type: 't' })));
    const tooMany = await report(s, many);
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.json)).toMatch(/At most 100/);
    expect((await report(s, '{"token":"x"}')).status).toBe(400);
    expect((await report(s, 'not json')).status).toBe(400);
  });
});
