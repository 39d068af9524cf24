import { signSlackRequest } from './signing.js';
import type { StandinState } from './state.js';
import type { BotReply } from './types.js';

/**
 * POSTs a signed, form-encoded request to the bot as Slack does. Slack waits 3 s: a slower bot gives
 * status 0 and `operation_timeout`, an unreachable one `dispatch_failed` (what the user would see).
 */
export async function postToBot(state: StandinState, form: Record<string, string>): Promise<BotReply> {
  const url = requestUrl(state);
  const body = new URLSearchParams(form).toString();
  // Signatures use the real clock: the bot checks them against its own, whatever the stand-in's test clock says.
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    ...signSlackRequest(state.opts.signingSecret, body),
  };
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(state.opts.ackTimeoutMs ?? 3000),
    });
  } catch (e) {
    const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
    return { status: 0, body: { error: timedOut ? 'operation_timeout' : 'dispatch_failed' } };
  }
  return { status: res.status, body: await parseReply(res) };
}

function requestUrl(state: StandinState): string {
  const url = state.opts.requestUrl;
  if (!url) throw new Error('slack stand-in: no request URL for the bot yet (call setRequestUrl)');
  return url;
}

async function parseReply(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  if (res.headers.get('content-type')?.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
