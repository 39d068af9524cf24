import { parse as parseForm, type ParsedUrlQuery } from 'node:querystring';

// The shapes of what Slack sends to tokenops' request URL: slash commands (form fields) and
// interactions (a JSON `payload` field), plus the Events API's url_verification. Checked only after
// the signature, so a failure here is a signed request from Slack (or a holder of the signing secret)
// that Bolt or a listener would have choked on: it gets a 400 and a WARN line, never a 500.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** What a well-formed request is: the app id it names (if any), or why it is malformed. */
export type Shape = { ok: true; kind: string; appId: string | undefined } | { ok: false; reason: string };

const bad = (reason: string): Shape => ({ ok: false, reason });

/** Slash command fields the listener reads; each must be one string (a repeated field is an array). */
const COMMAND_FIELDS = ['command', 'user_id', 'team_id', 'channel_id', 'trigger_id', 'response_url'] as const;

function slashCommand(form: ParsedUrlQuery): Shape {
  for (const f of COMMAND_FIELDS) if (!nonEmpty(form[f])) return bad(`slash command without ${f}`);
  if (!isStr(form['text'] ?? '')) return bad('slash command with more than one text');
  const appId = form['api_app_id'];
  if (appId !== undefined && !isStr(appId)) return bad('slash command with more than one api_app_id');
  return { ok: true, kind: 'slash_command', appId };
}

/** `team` is an object with an id, or null (org-wide installs); `user` always has an id. */
function actor(p: Obj): string | undefined {
  if (!isObj(p['user']) || !nonEmpty(p['user']['id'])) return 'without user.id';
  const team = p['team'];
  if (team !== undefined && team !== null && !(isObj(team) && nonEmpty(team['id']))) return 'with a malformed team';
  if (p['channel'] !== undefined && p['channel'] !== null && !(isObj(p['channel']) && isStr(p['channel']['id'])))
    return 'with a malformed channel';
  return undefined;
}

function blockActions(p: Obj): string | undefined {
  const actions = p['actions'];
  if (!Array.isArray(actions) || actions.length === 0) return 'without actions';
  for (const a of actions) {
    if (!isObj(a) || !nonEmpty(a['action_id'])) return 'with an action without action_id';
    if (a['value'] !== undefined && !isStr(a['value'])) return 'with a non-text action value';
  }
  if (!nonEmpty(p['trigger_id'])) return 'without trigger_id';
  if (p['response_url'] !== undefined && !isStr(p['response_url'])) return 'with a malformed response_url';
  return undefined;
}

function view(p: Obj, needsTrigger: boolean): string | undefined {
  const v = p['view'];
  if (!isObj(v) || !nonEmpty(v['id']) || !isStr(v['callback_id'])) return 'without a view id and callback_id';
  if (v['private_metadata'] !== undefined && !isStr(v['private_metadata'])) return 'with malformed private_metadata';
  const state = v['state'];
  if (state !== undefined) {
    if (!isObj(state) || !isObj(state['values'])) return 'with malformed view state';
    for (const block of Object.values(state['values']))
      if (!isObj(block) || !Object.values(block).every(isObj)) return 'with malformed view state';
  }
  if (needsTrigger && !nonEmpty(p['trigger_id'])) return 'without trigger_id';
  return undefined;
}

/** Interaction types tokenops answers; anything else (shortcuts, …) is not configured in its manifest. */
const INTERACTIONS: Record<string, (p: Obj) => string | undefined> = {
  block_actions: blockActions,
  view_submission: (p) => view(p, true),
  view_closed: (p) => view(p, false),
};

function interaction(payload: unknown): Shape {
  if (!isStr(payload)) return bad('more than one payload field');
  let p: unknown;
  try {
    p = JSON.parse(payload);
  } catch {
    return bad('payload is not JSON');
  }
  if (!isObj(p)) return bad('payload is not a JSON object');
  const type = p['type'];
  const check = isStr(type) ? INTERACTIONS[type] : undefined;
  if (!check) return bad(`unsupported interaction type ${isStr(type) ? type.slice(0, 40) : typeof type}`);
  const problem = actor(p) ?? check(p);
  if (problem) return bad(`${type} ${problem}`);
  if (p['api_app_id'] !== undefined && !isStr(p['api_app_id'])) return bad(`${type} with a malformed api_app_id`);
  return { ok: true, kind: type as string, appId: p['api_app_id'] as string | undefined };
}

/** A form body (what Bolt's AwsLambdaReceiver parses with node:querystring, so we parse it the same way). */
export function formShape(body: string): Shape {
  const form = parseForm(body);
  if ('payload' in form) return interaction(form['payload']);
  if ('command' in form) return slashCommand(form);
  return bad('neither a slash command nor an interaction');
}

/** The Events API events tokenops subscribes to (slack/manifest.yaml); any other is not ours. */
const EVENTS: ReadonlySet<string> = new Set(['app_home_opened', 'user_change']);

/** An Events API callback: a subscribed event type, from a user, in a workspace. */
function eventCallback(p: Obj): Shape {
  const e = p['event'];
  if (!isObj(e) || !isStr(e['type'])) return bad('event_callback without an event type');
  if (!EVENTS.has(e['type'])) return bad(`an event tokenops does not subscribe to (${e['type'].slice(0, 40)})`);
  // user_change carries the whole user object; app_home_opened the user's id.
  const user = e['type'] === 'user_change' ? (isObj(e['user']) ? e['user']['id'] : undefined) : e['user'];
  if (!nonEmpty(user)) return bad(`${e['type']} without user`);
  if (!nonEmpty(p['team_id'])) return bad(`${e['type']} without team_id`);
  if (p['api_app_id'] !== undefined && !isStr(p['api_app_id'])) return bad('event with a malformed api_app_id');
  return { ok: true, kind: `event:${e['type']}`, appId: p['api_app_id'] as string | undefined };
}

/** A JSON body: the Events API's URL check, or a callback of an event tokenops subscribes to. */
export function jsonShape(body: string): Shape {
  let p: unknown;
  try {
    p = JSON.parse(body);
  } catch {
    return bad('body is not JSON');
  }
  if (!isObj(p)) return bad('body is not a JSON object');
  if (p['type'] === 'url_verification' && isStr(p['challenge']))
    return { ok: true, kind: 'url_verification', appId: undefined };
  if (p['type'] === 'event_callback') return eventCallback(p);
  return bad('an Events API payload of a type tokenops does not handle');
}

/** True for Slack's `ssl_check=1` probe of a slash command URL (sent without a signature). */
export function isSslCheck(body: string): boolean {
  return body.length < 2048 && parseForm(body)['ssl_check'] === '1';
}
