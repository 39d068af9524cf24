import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJsonObject, sendJson, sendText, str } from '../slack-standin/http-util.js';
import type { StandinState } from '../slack-standin/state.js';
import type { BotReply } from '../slack-standin/types.js';
import { visibleTo } from '../slack-standin/user-actions.js';
import { USAGE } from '../../commands/help.js';
import { PROVIDER_TYPES } from '../../providers/descriptors.js';
import { loadAsset } from './assets.js';

/** What the console asks of the stand-in: the same actions tests use. */
export interface ConsoleActions {
  slashCommand(
    state: StandinState,
    a: { user: string; channel?: string; text: string; command?: string },
  ): Promise<BotReply>;
  clickButton(state: StandinState, a: { user: string; messageId?: string; actionId: string }): Promise<BotReply>;
  submitView(state: StandinState, a: { user: string; values: Record<string, string> }): Promise<BotReply>;
  closeView(state: StandinState, a: { user: string; viewId: string }): Promise<void>;
  openHome(state: StandinState, a: { user: string }): Promise<BotReply>;
  viewAction(
    state: StandinState,
    a: { user: string; home?: boolean; actionId: string; value?: string; values?: Record<string, string> },
  ): Promise<BotReply>;
}

/** The console's HTTP side: static assets, the state snapshot, Server-Sent Events and the user's actions. */
export interface ConsoleHandler {
  /** Handles the request if it is the console's; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  close(): void;
}

/** Creates the console routes over a stand-in's state. */
export function createConsole(state: StandinState, actions: ConsoleActions): ConsoleHandler {
  const streams = new Set<ServerResponse>();
  let pending = false;
  // Many changes in one tick become one event: the page refetches the whole snapshot anyway.
  state.onChange(() => {
    if (pending) return;
    pending = true;
    setImmediate(() => {
      pending = false;
      for (const s of streams) s.write(`event: change\ndata: {}\n\n`);
    });
  });
  const ping = setInterval(() => {
    for (const s of streams) s.write(': ping\n\n');
  }, 15_000);
  ping.unref();
  return {
    async handle(req, res, url) {
      if (req.method === 'GET' && url.pathname === '/_console/events') {
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
          connection: 'keep-alive',
        });
        res.write('retry: 1000\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return true;
      }
      if (req.method === 'GET') return serveGet(state, url, res);
      if (req.method === 'POST' && url.pathname.startsWith('/_console/')) {
        await handlePost(state, actions, url.pathname.slice('/_console/'.length), req, res);
        return true;
      }
      return false;
    },
    close() {
      clearInterval(ping);
      for (const s of streams) s.end();
      streams.clear();
    },
  };
}

async function serveGet(state: StandinState, url: URL, res: ServerResponse): Promise<boolean> {
  if (url.pathname === '/_console/state') {
    // An unknown or missing user (a fresh browser) acts as the first one.
    const asked = url.searchParams.get('user') ?? '';
    sendJson(res, 200, snapshot(state, state.user(asked) ? asked : (state.opts.users[0]?.id ?? '')));
    return true;
  }
  if (url.pathname === '/favicon.ico') {
    res.writeHead(204).end();
    return true;
  }
  const name = url.pathname === '/' ? 'index.html' : url.pathname.replace(/^\/_console\//, '');
  const asset = url.pathname === '/' || url.pathname.startsWith('/_console/') ? await loadAsset(name) : undefined;
  if (!asset) return false;
  sendText(res, 200, asset.body, asset.type);
  return true;
}

/** Everything the page shows for one acting user: ephemeral messages only when they are the recipient. */
function snapshot(state: StandinState, me: string) {
  const o = state.opts;
  const dm = state.dmFor(me);
  const channels = [
    ...o.channels.map((c) => ({ id: c.id, name: c.name, kind: c.id === o.auditChannel ? 'audit' : 'channel' })),
    { id: dm, name: 'tokenops', kind: 'dm' },
    { id: 'HOME', name: 'tokenops Home', kind: 'home' },
  ];
  const names: Record<string, string> = { [o.botUserId]: 'tokenops', USLACKBOT: 'Slackbot' };
  for (const u of o.users) names[u.id] = u.name;
  const channelNames = Object.fromEntries(o.channels.map((c) => [c.id, c.name]));
  const messages = state
    .messages()
    .filter((m) => visibleTo(m, me) && channels.some((c) => c.id === m.channel))
    .map((m) => ({ ...m, author: names[m.user ?? ''] ?? m.user ?? '?', isBot: m.user === o.botUserId }));
  const top = state.viewStack(me).at(-1);
  return {
    me,
    users: o.users.map((u) => ({ id: u.id, name: u.name, realName: u.realName, label: u.label })),
    channels,
    messages,
    view: top ?? null,
    home: state.homes.get(me) ?? null,
    ctx: { users: names, channels: channelNames, groups: {} },
    // The composer's autocomplete: the /token grammar as help shows it, and the provider names.
    hints: { commands: Object.entries(USAGE).map(([name, usage]) => ({ name, usage })), providers: PROVIDER_TYPES },
  };
}

async function handlePost(
  state: StandinState,
  actions: ConsoleActions,
  what: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const body = await readJsonObject(req);
  const user = str(body.user);
  if (!user || !state.user(user)) return sendJson(res, 400, { error: 'unknown user' });
  try {
    if (what === 'command') return sendJson(res, 200, await command(state, actions, user, body));
    if (what === 'action') {
      const messageId = str(body.messageId);
      const reply = await actions.clickButton(state, {
        user,
        actionId: str(body.actionId) ?? '',
        ...(messageId ? { messageId } : {}),
      });
      return sendJson(res, 200, reply);
    }
    if (what === 'submit') {
      const values = (typeof body.values === 'object' && body.values ? body.values : {}) as Record<string, string>;
      return sendJson(res, 200, await actions.submitView(state, { user, values }));
    }
    if (what === 'home') return sendJson(res, 200, await actions.openHome(state, { user }));
    if (what === 'view-action') {
      const values = (typeof body.values === 'object' && body.values ? body.values : {}) as Record<string, string>;
      const value = str(body.value);
      const reply = await actions.viewAction(state, {
        user,
        home: body.home === true,
        actionId: str(body.actionId) ?? '',
        values,
        ...(value !== undefined ? { value } : {}),
      });
      return sendJson(res, 200, reply);
    }
    if (what === 'close') {
      await actions.closeView(state, { user, viewId: str(body.viewId) ?? '' });
      return sendJson(res, 200, { ok: true });
    }
    sendJson(res, 404, { error: 'not_found' });
  } catch (e) {
    sendJson(res, 500, { error: e instanceof Error ? e.message : String(e) });
  }
}

/** A line from the composer: `/command text` goes to the bot; anything else is an ordinary message. */
async function command(state: StandinState, actions: ConsoleActions, user: string, body: Record<string, unknown>) {
  const line = (str(body.text) ?? '').trim();
  const channel = str(body.channel) ?? state.opts.channels[0]?.id ?? '';
  const m = /^(\/[a-z0-9_-]+)(?:\s+([\s\S]*))?$/i.exec(line);
  if (m) return actions.slashCommand(state, { user, channel, command: m[1]!, text: m[2] ?? '' });
  // Slack escapes what people type, so their text can never form a mention or a link by accident.
  const text = line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  state.addMessage({ channel: state.resolveChannel(channel) ?? channel, user, text });
  return { status: 200, body: undefined };
}
