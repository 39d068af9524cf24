import { validateBlocks } from './block-limits.js';
import { tryJson } from './http-util.js';
import type { StandinState } from './state.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the response_url endpoint answers: Slack uses bare words for errors. */
export interface ResponseUrlAnswer {
  status: number;
  text: string;
}

/** Reads a response_url body: JSON (what Bolt's respond() sends) or a form with a `payload` field. */
export function parseResponseBody(contentType: string | undefined, raw: string): Obj | undefined {
  const parsed = contentType?.startsWith('application/x-www-form-urlencoded')
    ? tryJson(new URLSearchParams(raw).get('payload') ?? '')
    : tryJson(raw);
  return isObj(parsed) ? parsed : undefined;
}

/**
 * Handles one POST to `/response/<id>`: counts the use (5 within 30 minutes), records it, and turns it
 * into a message in the invocation's channel: ephemeral to the invoking user unless `in_channel`, or a
 * replacement / deletion of the message whose button produced the URL.
 */
export function postToResponseUrl(state: StandinState, id: string, body: Obj | undefined): ResponseUrlAnswer {
  const responseUrl = `${state.baseUrl}/response/${id}`;
  if (body) state.responses.push({ responseUrl, body, at: state.now() });
  const target = state.useResponseUrl(id);
  if (typeof target === 'string') return { status: 404, text: target };
  if (!body) return { status: 400, text: 'invalid_payload' };
  const source = target.sourceTs ? state.current(target.channel, target.sourceTs) : undefined;
  if (body.delete_original === true || body.delete_original === 'true') {
    if (source && !source.deletedAt) state.deleteMessage(source);
    else state.notify();
    return { status: 200, text: 'ok' };
  }
  const text = typeof body.text === 'string' ? body.text : '';
  const blocks = Array.isArray(body.blocks) ? body.blocks : undefined;
  if (!text && !blocks) return { status: 400, text: 'no_text' };
  if (blocks && validateBlocks(blocks, 'message').length > 0) return { status: 400, text: 'invalid_blocks' };
  const content = { text, blocks, responseUrl };
  if ((body.replace_original === true || body.replace_original === 'true') && source && !source.deletedAt) {
    state.replaceMessage(source, content);
  } else {
    const inChannel = body.response_type === 'in_channel';
    state.addMessage({
      channel: target.channel,
      user: state.opts.botUserId,
      ...(inChannel ? {} : { ephemeralTo: target.user }),
      ...content,
    });
  }
  return { status: 200, text: 'ok' };
}
