import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { fingerprint } from './secret.js';

/** Limits of the leak intake: a report larger than these is refused before it is parsed. */
export const LEAK_LIMITS = {
  /** Bytes of body. */
  maxBody: 64 * 1024,
  /** Reported tokens per request. */
  maxItems: 100,
  /** Characters of one reported value. */
  maxTokenLength: 1024,
  /** Seconds a signed timestamp stays valid either way (clock skew, replay window). */
  windowS: 300,
} as const;

/** The signature headers (lower case, as API Gateway hands them over). */
export const LEAK_HEADERS = { timestamp: 'x-tokenops-timestamp', signature: 'x-tokenops-signature' } as const;

/** One reported leak after the door: the value itself is gone, only its fingerprints remain. */
export interface LeakItem {
  /** HMAC-SHA-256 under the server key, as `find` and the token index use. */
  fingerprint: string;
  /** Plain SHA-256 hex of the value: GitHub's partner response names a token by it. */
  tokenHash: string;
  type: string;
  url: string;
  source: string;
}

/** A refusal at the door: an HTTP status and a short JSON message. */
export interface DoorRefusal {
  status: 400 | 401 | 413;
  message: string;
}

/** Signs a report like a caller must: `sha256=` + HMAC-SHA-256(secret, `${timestamp}.${body}`). */
export function signLeakReport(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** Checks the signature and its 5-minute window, in constant time. Returns a refusal or undefined. */
export function checkLeakSignature(
  headers: Record<string, string | undefined>,
  body: string,
  secret: string,
  nowS: number,
): DoorRefusal | undefined {
  const ts = headers[LEAK_HEADERS.timestamp];
  const sig = headers[LEAK_HEADERS.signature];
  const form = `Sign the request: ${LEAK_HEADERS.timestamp}: <unix seconds>, ${LEAK_HEADERS.signature}: sha256=<hex HMAC-SHA-256 of "<timestamp>.<body>">.`;
  if (!ts || !sig) return { status: 401, message: `Missing signature. ${form}` };
  if (!/^\d{1,12}$/.test(ts) || Math.abs(nowS - Number(ts)) > LEAK_LIMITS.windowS)
    return { status: 401, message: 'The timestamp is outside the 5-minute window: sign the request when you send it.' };
  const want = Buffer.from(signLeakReport(secret, ts, body));
  const got = Buffer.from(sig);
  if (want.length !== got.length || !timingSafeEqual(want, got))
    return { status: 401, message: `The signature does not match. ${form}` };
  return undefined;
}

/**
 * Parses a report in GitHub's secret-scanning partner format (a JSON array of {token, type, url,
 * source}) and fingerprints every value at once: what leaves this function holds no value.
 */
export function parseLeakReport(body: string, fingerprintKey: string): LeakItem[] | DoorRefusal {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return { status: 400, message: 'The body is not JSON: send an array of {"token","type","url","source"}.' };
  }
  if (!Array.isArray(data) || data.length === 0)
    return { status: 400, message: 'Send a non-empty JSON array of {"token","type","url","source"}.' };
  if (data.length > LEAK_LIMITS.maxItems)
    return { status: 400, message: `At most ${LEAK_LIMITS.maxItems} tokens per report; split it.` };
  const items: LeakItem[] = [];
  for (const [i, raw] of data.entries()) {
    const r = (raw ?? {}) as Record<string, unknown>;
    const token = r['token'];
    if (typeof token !== 'string' || token.length < 8 || token.length > LEAK_LIMITS.maxTokenLength)
      return {
        status: 400,
        message: `Item ${i}: "token" must be a string of 8 to ${LEAK_LIMITS.maxTokenLength} characters.`,
      };
    items.push({
      fingerprint: fingerprint(token, fingerprintKey),
      tokenHash: createHash('sha256').update(token, 'utf8').digest('hex'),
      type: text(r['type'], 100),
      url: text(r['url'], 500),
      source: text(r['source'], 100),
    });
  }
  return items;
}

const text = (v: unknown, max: number): string => (typeof v === 'string' ? v.slice(0, max) : '');

/** GitHub's partner response for one token. */
export interface PartnerLabel {
  token_hash: string;
  token_type: string;
  label: 'true_positive' | 'false_positive';
}

/**
 * A value reported in Slack (`/token leaked`), fingerprinted at once like a scanner's. No plain hash is
 * kept: only a scanner's answer names a token by one.
 */
export function leakItemFromSlack(value: string, fingerprintKey: string, reporter: string, where: string): LeakItem {
  return {
    fingerprint: fingerprint(value, fingerprintKey),
    tokenHash: '',
    type: 'slack_report',
    url: text(where, 300),
    source: `Slack, /token leaked by ${reporter}`,
  };
}
