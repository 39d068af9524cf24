import { validateBlocks } from './block-limits.js';
import { str } from './http-util.js';
import { messageJson } from './payloads.js';
import type { StandinState } from './state.js';
import type { StandinMessage } from './types.js';
import { viewsPublish } from './view-actions.js';
import { viewsOpen, viewsPush, viewsUpdate } from './views.js';

/** A Web API answer: Slack always says HTTP 200 with `ok`, except 429 for rate limits. */
export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

type Args = Record<string, unknown>;
type Method = (state: StandinState, args: Args) => Record<string, unknown>;

const fail = (error: string, extra: Args = {}) => ({ ok: false, error, ...extra });

const METHODS: Record<string, Method> = {
  'auth.test': authTest,
  'conversations.open': conversationsOpen,
  'chat.postMessage': postMessage,
  'chat.postEphemeral': postEphemeral,
  'chat.update': chatUpdate,
  'chat.delete': chatDelete,
  'views.open': viewsOpen,
  'views.update': viewsUpdate,
  'views.push': viewsPush,
  'views.publish': viewsPublish,
  'users.info': usersInfo,
  'usergroups.users.list': usergroupsUsersList,
};

/** Answers one Web API call (auth check, injected failure, method) and records it in `state.calls`. */
export function callWebApi(state: StandinState, method: string, args: Args, authorization: string | undefined) {
  const { token, ...recorded } = args;
  const answer = answerCall(state, method, authorization ?? (typeof token === 'string' ? `Bearer ${token}` : ''));
  const result = answer ?? { status: 200, body: (METHODS[method] ?? unknownMethod)(state, recorded) };
  state.calls.push({ method, args: recorded, at: state.now(), ok: result.body.ok === true });
  state.notify();
  return result;
}

function answerCall(state: StandinState, method: string, authorization: string): ApiAnswer | undefined {
  if (!authorization) return { status: 200, body: fail('not_authed') };
  if (authorization !== `Bearer ${state.opts.botToken}`) return { status: 200, body: fail('invalid_auth') };
  const retryAfter = state.limiter?.take(method, state.now());
  if (retryAfter !== undefined)
    return { status: 429, body: fail('ratelimited'), headers: { 'retry-after': String(retryAfter) } };
  const injected = state.takeFailure(method);
  if (injected === 'ratelimited') return { status: 429, body: fail('ratelimited'), headers: { 'retry-after': '1' } };
  if (injected) return { status: 200, body: fail(injected) };
  return undefined;
}

function unknownMethod(): Record<string, unknown> {
  return fail('unknown_method');
}

function authTest(state: StandinState): Record<string, unknown> {
  const o = state.opts;
  return {
    ok: true,
    url: 'https://tokenops-local.slack.com/',
    team: 'tokenops local',
    user: 'tokenops',
    team_id: o.teamId,
    user_id: o.botUserId,
    bot_id: o.botId,
    is_enterprise_install: false,
  };
}

function conversationsOpen(state: StandinState, args: Args): Record<string, unknown> {
  const users = str(args.users)?.split(',') ?? [];
  if (users.length === 0) return fail('users_list_not_supplied');
  if (users.length > 1) return fail('not_enough_users'); // group DMs are not modelled
  const user = state.user(users[0]!);
  if (!user || user.deleted) return fail('user_not_found');
  return { ok: true, no_op: true, already_open: true, channel: { id: state.dmFor(user.id) } };
}

type Content = { text: string; blocks?: unknown[] };
type Checked<T> = { value: T } | { error: Record<string, unknown> };

/** Text and blocks checks shared by postMessage, postEphemeral and update. */
function content(args: Args): Checked<Content> {
  const text = typeof args.text === 'string' ? args.text.slice(0, 40_000) : '';
  if (args.blocks === undefined || args.blocks === '') {
    return text ? { value: { text } } : { error: fail('no_text') };
  }
  const errors = validateBlocks(args.blocks, 'message');
  if (errors.length > 0) return { error: fail('invalid_blocks', { response_metadata: { messages: errors } }) };
  return { value: { text, blocks: args.blocks as unknown[] } };
}

function postMessage(state: StandinState, args: Args): Record<string, unknown> {
  const channel = state.resolveChannel(str(args.channel) ?? '');
  if (!channel) return fail('channel_not_found');
  const c = content(args);
  if ('error' in c) return c.error;
  const m = state.addMessage({ channel, user: state.opts.botUserId, ...c.value });
  return { ok: true, channel, ts: m.ts, message: messageJson(state, m) };
}

function postEphemeral(state: StandinState, args: Args): Record<string, unknown> {
  const channel = state.resolveChannel(str(args.channel) ?? '');
  if (!channel) return fail('channel_not_found');
  const user = state.user(str(args.user) ?? '');
  if (!user || user.deleted) return fail('user_not_found');
  // A DM holds only its owner and the bot.
  const owner = state.dmOwner(channel);
  if (owner && owner !== user.id) return fail('user_not_in_channel');
  const c = content(args);
  if ('error' in c) return c.error;
  const m = state.addMessage({ channel, user: state.opts.botUserId, ephemeralTo: user.id, ...c.value });
  return { ok: true, message_ts: m.ts };
}

/** The bot's own current, non-ephemeral message at channel + ts. */
function findOwn(state: StandinState, args: Args): Checked<StandinMessage> {
  const channel = state.resolveChannel(str(args.channel) ?? '');
  if (!channel) return { error: fail('channel_not_found') };
  const m = state.current(channel, str(args.ts) ?? '');
  // Ephemeral messages cannot be edited through the Web API, only through their response_url.
  if (!m || m.deletedAt || m.ephemeralTo) return { error: fail('message_not_found') };
  if (m.user !== state.opts.botUserId) return { error: fail('cant_update_message') };
  return { value: m };
}

function chatUpdate(state: StandinState, args: Args): Record<string, unknown> {
  const found = findOwn(state, args);
  if ('error' in found) return found.error;
  const c = content(args);
  if ('error' in c) return c.error;
  const next = state.replaceMessage(found.value, c.value);
  return { ok: true, channel: next.channel, ts: next.ts, text: next.text, message: messageJson(state, next) };
}

function chatDelete(state: StandinState, args: Args): Record<string, unknown> {
  const found = findOwn(state, args);
  if ('error' in found) return found.error;
  state.deleteMessage(found.value);
  return { ok: true, channel: found.value.channel, ts: found.value.ts };
}

function usersInfo(state: StandinState, args: Args): Record<string, unknown> {
  const u = state.user(str(args.user) ?? '');
  if (!u) return fail('user_not_found');
  const realName = u.realName ?? u.name;
  return {
    ok: true,
    user: {
      id: u.id,
      team_id: u.teamId ?? state.opts.teamId,
      name: u.name,
      real_name: realName,
      deleted: u.deleted ?? false,
      is_bot: false,
      is_app_user: false,
      is_admin: false,
      is_owner: false,
      is_restricted: u.isRestricted ?? false,
      is_ultra_restricted: u.isUltraRestricted ?? false,
      ...(u.isStranger ? { is_stranger: true } : {}),
      profile: { real_name: realName, display_name: u.name, team: u.teamId ?? state.opts.teamId },
    },
  };
}

function usergroupsUsersList(state: StandinState, args: Args): Record<string, unknown> {
  const group = str(args.usergroup);
  if (!group) return fail('invalid_arguments');
  const users = state.opts.users.filter((u) => u.groups?.includes(group) && !u.deleted).map((u) => u.id);
  if (users.length === 0 && !state.opts.users.some((u) => u.groups?.includes(group))) return fail('no_such_subteam');
  return { ok: true, users };
}
