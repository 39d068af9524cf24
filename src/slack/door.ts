import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Log } from '../core/ports.js';
import { formShape, isSslCheck, jsonShape } from './door-shapes.js';

/**
 * The door of the ingress: size, content type, Slack signature and payload shape are checked before
 * Bolt sees a request. Bolt's AwsLambdaReceiver parses the body before it verifies the signature (so
 * unsigned junk made it throw: HTTP 500 and an ERROR line, which anyone on the internet could use to
 * trip the ingress error alarm), accepts timestamps from the future, and matches the content type
 * exactly. Here junk gets a 4xx, unauthenticated requests log at INFO at most, and a signed request of
 * the wrong shape gets a 400 and a WARN: an ERROR from the ingress means a real fault.
 */

/** The part of an API Gateway (HTTP API v2 or REST v1) event the door reads. */
export interface DoorEvent {
  headers?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
}

/** What the door answers in place of the app. */
export interface DoorResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface DoorOptions {
  signingSecret: string;
  /** When set, only requests for this Slack app (`api_app_id`) are let in. */
  appId?: string | undefined;
  /** @default 256 KiB */
  maxBodyBytes?: number;
  /** Clock, ms. @default Date.now */
  now?: () => number;
  log: Log;
}

/** Slack's replay window: a timestamp further than this from our clock, either way, is refused. */
export const MAX_SKEW_S = 5 * 60;
/**
 * Slack's own payloads are far smaller (a block_actions payload carries the message: 50 blocks at most).
 * API Gateway would accept 10 MB; a body this big is not from Slack and is not worth an HMAC.
 */
export const MAX_BODY_BYTES = 256 * 1024;

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const utf8 = new TextDecoder('utf-8', { fatal: true });

export type DoorVerdict = { pass: true; event: DoorEvent } | { pass: false; response: DoorResponse };

/** Header names are case-insensitive; API Gateway v2 lowercases them, v1 does not. */
function lowerHeaders(headers: DoorEvent['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (typeof v === 'string') out[k.toLowerCase()] = v;
  return out;
}

/** `type/subtype; charset=…` → the media type, or undefined when the charset is not UTF-8 (or ASCII). */
function mediaType(header: string | undefined): string | undefined {
  const [type = '', ...params] = (header ?? '').split(';').map((s) => s.trim().toLowerCase());
  for (const p of params) {
    const [k, v = ''] = p.split('=').map((s) => s.trim().replace(/^"|"$/g, ''));
    if (k === 'charset' && !['utf-8', 'utf8', 'us-ascii'].includes(v)) return undefined;
  }
  return type;
}

/** Constant-time check of `v0=HMAC-SHA256(secret, "v0:{ts}:{body}")` over the raw bytes. */
function signatureOk(secret: string, ts: string, raw: Buffer, given: string): boolean {
  const expected = createHmac('sha256', secret).update(`v0:${ts}:`).update(raw).digest();
  const m = /^v0=([0-9a-f]{64})$/.exec(given);
  return !!m && timingSafeEqual(expected, Buffer.from(m[1] as string, 'hex'));
}

const answer = (statusCode: number, message: string): DoorResponse => ({
  statusCode,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body: message,
});

/** Checks one request. A passing request comes back with a UTF-8 body and a content type Bolt accepts. */
export function checkDoor(event: DoorEvent, o: DoorOptions): DoorVerdict {
  const refuse = (status: number, reason: string, signed = false): DoorVerdict => {
    if (signed) o.log.warn('signed request refused at the door', { status, reason });
    else o.log.info('request refused at the door', { status, reason });
    return { pass: false, response: answer(status, reason) };
  };
  const headers = lowerHeaders(event.headers);
  const text = event.body ?? '';
  const max = o.maxBodyBytes ?? MAX_BODY_BYTES;
  // Refused before decoding: base64 grows 4:3, and UTF-8 never takes fewer bytes than UTF-16 units.
  if (text.length > (event.isBase64Encoded ? Math.ceil((max * 4) / 3) + 4 : max)) return refuse(400, 'body too large');
  const raw = event.isBase64Encoded ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  if (raw.length > max) return refuse(400, 'body too large');
  const type = mediaType(headers['content-type']);
  if (type !== FORM && type !== JSON_TYPE) return refuse(400, 'unsupported content type');
  let body: string;
  try {
    body = utf8.decode(raw);
  } catch {
    return refuse(400, 'body is not UTF-8');
  }
  // Slack probes a slash command URL with an unsigned `ssl_check=1`; it only wants a 200.
  if (type === FORM && isSslCheck(body)) return { pass: false, response: answer(200, '') };
  const ts = headers['x-slack-request-timestamp'] ?? '';
  const signature = headers['x-slack-signature'] ?? '';
  if (!signature || !/^\d{1,12}$/.test(ts)) return refuse(401, 'unsigned request');
  const skew = Math.abs(Math.floor((o.now ?? Date.now)() / 1000) - Number(ts));
  if (skew > MAX_SKEW_S) return refuse(401, 'request timestamp outside the 5-minute window');
  if (!signatureOk(o.signingSecret, ts, raw, signature)) return refuse(401, 'invalid signature');
  const shape = type === FORM ? formShape(body) : jsonShape(body);
  if (!shape.ok) return refuse(400, `malformed request: ${shape.reason}`, true);
  if (o.appId && shape.kind !== 'url_verification' && shape.appId !== o.appId)
    return refuse(400, 'request for another Slack app', true);
  return {
    pass: true,
    event: { ...event, headers: { ...headers, 'content-type': type }, body, isBase64Encoded: false },
  };
}

/** A Lambda handler with the door in front of it. */
export function withDoor<E extends DoorEvent, C, R>(
  handler: (event: E, context: C) => Promise<R>,
  options: DoorOptions,
): (event: E, context: C) => Promise<R | DoorResponse> {
  return async (event, context) => {
    const verdict = checkDoor(event, options);
    return verdict.pass ? handler(verdict.event as E, context) : verdict.response;
  };
}
