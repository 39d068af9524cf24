// The Home tab (views.publish, app_home_opened) and interactions inside views: a button on the Home
// tab, a select with dispatch_action in a modal. Slack sends both as block_actions whose container is
// the view, with the view's current state and no response_url.
import { signSlackRequest } from './signing.js';
import { validateBlocks } from './block-limits.js';
import { str } from './http-util.js';
import { findElement } from './payloads.js';
import type { StandinState } from './state.js';
import type { BotReply, StandinView } from './types.js';
import { buildViewValues } from './view-values.js';
import { viewJson, withGeneratedIds } from './views.js';
import { postToBot } from './bot-client.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const fail = (error: string, extra: Obj = {}) => ({ ok: false, error, ...extra });

/** views.publish: a user's Home tab (100 blocks at most, like a modal). */
export function viewsPublish(state: StandinState, args: Obj): Obj {
  const user = str(args.user_id);
  if (!user || !state.user(user)) return fail('user_not_found');
  const view = isObj(args.view) ? args.view : typeof args.view === 'string' ? tryParse(args.view) : undefined;
  if (!isObj(view) || view.type !== 'home') return fail('invalid_arguments');
  const messages = validateBlocks(view.blocks, 'modal').map((m) => m.replace('json-pointer:/', 'json-pointer:/view/'));
  if (messages.length > 0) return fail('invalid_arguments', { response_metadata: { messages } });
  const existing = state.homes.get(user);
  if (str(args.hash) && existing && args.hash !== existing.view.hash) return fail('hash_conflict');
  const id = existing?.id ?? state.newId('V');
  const json = {
    ...viewJson(state, id, view, id, null),
    type: 'home',
    blocks: withGeneratedIds(view.blocks as unknown[]),
  };
  const entry: StandinView = { id, user, view: json };
  state.homes.set(user, entry);
  state.notify();
  return { ok: true, view: json };
}

function tryParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/** The user opens the app's Home tab: Slack sends the signed `app_home_opened` event. */
export async function openHome(state: StandinState, a: { user: string }): Promise<BotReply> {
  const user = state.user(a.user);
  if (!user) throw new Error(`slack stand-in: unknown user ${a.user}`);
  const home = state.homes.get(user.id);
  const event: Obj = {
    type: 'app_home_opened',
    user: user.id,
    channel: state.dmFor(user.id),
    tab: 'home',
    event_ts: `${(state.now() / 1000).toFixed(6)}`,
    ...(home ? { view: home.view } : {}),
  };
  const body = {
    token: 'standinVerificationToken',
    team_id: state.opts.teamId,
    api_app_id: 'A0STANDIN',
    event,
    type: 'event_callback',
    event_id: `Ev${state.newId('E')}`,
    event_time: Math.floor(state.now() / 1000),
    authorizations: [{ team_id: state.opts.teamId, user_id: state.opts.botUserId, is_bot: true }],
  };
  return postJson(state, JSON.stringify(body));
}

/** Slack sends a signed Events API callback (a retry carries X-Slack-Retry-Num, and the same event id). */
export async function sendEvent(
  state: StandinState,
  a: { event: Obj; eventId?: string; retryNum?: number },
): Promise<BotReply & { eventId: string }> {
  const eventId = a.eventId ?? `Ev${state.newId('E')}`;
  const body = {
    token: 'standinVerificationToken',
    team_id: state.opts.teamId,
    api_app_id: 'A0STANDIN',
    event: { event_ts: `${(state.now() / 1000).toFixed(6)}`, ...a.event },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(state.now() / 1000),
  };
  const retry: Record<string, string> = a.retryNum
    ? { 'x-slack-retry-num': String(a.retryNum), 'x-slack-retry-reason': 'http_timeout' }
    : {};
  return { ...(await postJson(state, JSON.stringify(body), retry)), eventId };
}

async function postJson(state: StandinState, body: string, extra: Record<string, string> = {}): Promise<BotReply> {
  const url = state.opts.requestUrl;
  if (!url) throw new Error('slack stand-in: no request URL for the bot yet (call setRequestUrl)');
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signSlackRequest(state.opts.signingSecret, body), ...extra },
      body,
      signal: AbortSignal.timeout(state.opts.ackTimeoutMs ?? 3000),
    });
    const text = await res.text();
    return { status: res.status, body: tryParse(text) ?? text };
  } catch (e) {
    const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
    return { status: 0, body: { error: timedOut ? 'operation_timeout' : 'dispatch_failed' } };
  }
}

/** Finds an element by action_id in a view's blocks, inputs included. */
function findInView(blocks: unknown[], actionId: string): { blockId: string; element: Obj } | undefined {
  const found = findElement(blocks, actionId);
  if (found) return found;
  for (const b of blocks) {
    if (isObj(b) && isObj(b.element) && b.element.action_id === actionId) {
      return { blockId: str(b.block_id) ?? '', element: b.element };
    }
  }
  return undefined;
}

/**
 * A click or a choice inside a view: the Home tab (`home: true`) or the user's top modal. A select in
 * a modal dispatches only when its input block asks for it (dispatch_action), as in Slack.
 */
export async function viewAction(
  state: StandinState,
  a: { user: string; home?: boolean; actionId: string; value?: string; values?: Record<string, string> },
): Promise<BotReply> {
  const user = state.user(a.user);
  if (!user) throw new Error(`slack stand-in: unknown user ${a.user}`);
  const entry = a.home ? state.homes.get(user.id) : state.viewStack(user.id).at(-1);
  if (!entry) throw new Error(`slack stand-in: ${a.user} has no ${a.home ? 'Home tab' : 'open modal'}`);
  const blocks = (entry.view.blocks ?? []) as unknown[];
  const found = findInView(blocks, a.actionId);
  if (!found) throw new Error(`slack stand-in: no element ${a.actionId} in the view`);
  const typed = { ...(a.values ?? {}) };
  const action: Obj = {
    action_id: a.actionId,
    block_id: found.blockId,
    type: found.element.type ?? 'button',
    action_ts: `${(state.now() / 1000).toFixed(6)}`,
  };
  if (found.element.type === 'static_select') {
    const option = optionsOf(found.element).find((o) => o.value === a.value);
    if (!option) throw new Error(`slack stand-in: ${String(a.value)} is not an option of ${a.actionId}`);
    action.selected_option = { text: option.text, value: option.value };
    typed[`${found.blockId}.${a.actionId}`] = String(a.value);
  } else {
    action.text = found.element.text;
    action.value = a.value ?? found.element.value;
  }
  const { values } = buildViewValues(blocks, typed);
  const triggerId = state.issueTrigger(user.id);
  const payload = {
    type: 'block_actions',
    user: { id: user.id, username: user.name, name: user.name, team_id: user.teamId ?? state.opts.teamId },
    api_app_id: 'A0STANDIN',
    token: 'standinVerificationToken',
    trigger_id: triggerId,
    team: { id: state.opts.teamId, domain: 'tokenops-local' },
    enterprise: null,
    is_enterprise_install: false,
    container: { type: 'view', view_id: entry.id },
    view: { ...entry.view, state: { values } },
    actions: [action],
  };
  return postToBot(state, { payload: JSON.stringify(payload) });
}

function optionsOf(el: Obj): Obj[] {
  const flat = Array.isArray(el.options) ? el.options : [];
  const grouped = Array.isArray(el.option_groups)
    ? el.option_groups.flatMap((g) => (isObj(g) && Array.isArray(g.options) ? g.options : []))
    : [];
  return [...flat, ...grouped].filter(isObj);
}
