import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's v0 request signature headers for a raw body (timestamp in seconds, default now). */
export function signSlackRequest(
  signingSecret: string,
  body: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): { 'x-slack-signature': string; 'x-slack-request-timestamp': string } {
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-signature': `v0=${digest}`, 'x-slack-request-timestamp': String(timestamp) };
}

/**
 * Checks a v0 signature the way Bolt does: constant-time comparison and a 5-minute replay window.
 * Returns why it failed, or undefined when the request is genuine.
 */
export function verifySlackSignature(
  signingSecret: string,
  body: string,
  headers: { signature?: string | undefined; timestamp?: string | undefined },
  nowMs: number = Date.now(),
): 'missing' | 'stale' | 'mismatch' | undefined {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !Number.isFinite(ts)) return 'missing';
  if (Math.abs(Math.floor(nowMs / 1000) - ts) > 300) return 'stale';
  const expected = Buffer.from(signSlackRequest(signingSecret, body, ts)['x-slack-signature']);
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? undefined : 'mismatch';
}
