import { afterAll, beforeAll } from 'vitest';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../src/local/stack.js';
import type { Log } from '../../src/core/ports.js';
import { PROVIDER_TYPES } from '../../src/providers/descriptors.js';
import type { Telemetry } from '../../src/core/telemetry.js';

/** Every log line the app wrote, as JSON text (to check that no secret ever reaches a log). */
export const logLines: string[] = [];

const capture: Log = {
  info: (m, e) => logLines.push(JSON.stringify({ level: 'info', m, ...e })),
  warn: (m, e) => logLines.push(JSON.stringify({ level: 'warn', m, ...e })),
  error: (m, e) => logLines.push(JSON.stringify({ level: 'error', m, ...e })),
};

/** Every metric event the worker reported, as [event, ...args] (the Telemetry port, recorded). */
export const telemetryEvents: [string, ...(string | number)[]][] = [];

const recorder = new Proxy({} as Telemetry, {
  get:
    (_t, name: string) =>
    (...args: (string | number)[]) =>
      telemetryEvents.push([name, ...args]),
});

/** Starts the whole local stack for a suite: dynalite, simulators, Slack stand-in, ingress, queue, worker. */
export function useStack(options: LocalStackOptions = {}): () => LocalStack {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({
      ...options,
      log: capture,
      telemetry: recorder,
      delayScale: 0.001,
      retry: { maxRetries: 1, retryBaseMs: 5, maxRetryAfterMs: 50 },
    });
  });
  afterAll(async () => stack?.close());
  return () => stack;
}

/** The demo users. */
export const ALICE = 'U0ALICE';
export const SAM = 'U0SAM';
export const OLIVIA = 'U0OLIVIA';
export const GUEST = 'U0GUEST';
export const STRANGER = 'U0STRANGER';

/** The text of a Slack message or reply body: fallback text plus every text in its blocks. */
export function textOf(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return out.join('\n');
}

/** Runs a slash command and waits until the worker is idle; returns the ack and the worker's replies. */
export async function run(
  stack: LocalStack,
  user: string,
  text: string,
): Promise<{ ack: string; replies: string[]; status: number }> {
  const res = await stack.standin.slashCommand({ user, text });
  await stack.queue.drain();
  const replies = stack.standin.responses.filter((r) => r.responseUrl === res.responseUrl).map((r) => textOf(r.body));
  return { ack: textOf(res.body), replies, status: res.status };
}

/** REFs mentioned in a text. */
export function refsIn(text: string): string[] {
  const ref = new RegExp(`\`((?:${PROVIDER_TYPES.join('|')}):[a-z0-9_-]+/[A-Za-z0-9._~-]+)\``, 'g');
  return [...text.matchAll(ref)].map((m) => m[1] as string);
}

/** Secrets delivered so far: the code-block contents of every ephemeral DM the bot sent. */
export function deliveredSecrets(stack: LocalStack): { user: string; channel: string; secret: string }[] {
  return stack.standin.calls
    .filter((c) => c.method === 'chat.postEphemeral' && String(c.args['channel']).startsWith('D'))
    .flatMap((c) => {
      const m = /```([^`]+)```/.exec(textOf(c.args['blocks']));
      return m ? [{ user: String(c.args['user']), channel: String(c.args['channel']), secret: m[1] as string }] : [];
    });
}

/** Messages posted to the audit channel, as text. */
export function auditPosts(stack: LocalStack): string[] {
  return stack.standin.calls
    .filter((c) => c.method === 'chat.postMessage' && c.args['channel'] === stack.config.slack.auditChannel)
    .map((c) => textOf(c.args));
}

/** Clicks a button on the newest message the user can see that has it, and waits for the worker. */
export async function click(
  stack: LocalStack,
  user: string,
  actionId: string,
  responseUrl?: string,
): Promise<string[]> {
  const before = stack.standin.responses.length;
  await stack.standin.clickButton({ user, actionId, ...(responseUrl ? { responseUrl } : {}) });
  await stack.queue.drain();
  return stack.standin.responses.slice(before).map((r) => textOf(r.body));
}

/** REFs in a list or find reply, leaving out tokenops' own credential (marked on the line before its REF). */
export function otherRefsIn(text: string): string[] {
  const lines = text.split('\n');
  return lines.flatMap((line, i) => (/own credential/.test(lines[i - 1] ?? '') ? [] : refsIn(line)));
}
