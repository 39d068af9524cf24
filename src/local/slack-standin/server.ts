import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createConsole, type ConsoleHandler } from '../console/routes.js';
import { decodeArgs, readBody, readJsonObject, sendJson, sendText, str } from './http-util.js';
import { parseResponseBody, postToResponseUrl } from './response-url.js';
import { StandinState } from './state.js';
import type { SlackStandin, StandinOptions } from './types.js';
import { clickButton, closeView, slashCommand, submitView } from './user-actions.js';
import { openHome, sendEvent, viewAction } from './view-actions.js';
import { callWebApi } from './web-api.js';

/**
 * Starts the local Slack: the Web API under /api/, response URLs under /response/, recorded state under
 * /_standin/, and the browser console at / (see src/local/console).
 */
export async function startSlackStandin(options: StandinOptions): Promise<SlackStandin> {
  const state = new StandinState(options);
  const consoleApp = createConsole(state, { slashCommand, clickButton, submitView, closeView, openHome, viewAction });
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    route(state, consoleApp, req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'standin_error', detail: String(e) });
      else res.end();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  state.baseUrl = `http://${host}:${(server.address() as AddressInfo).port}`;
  return standinApi(state, server, sockets, consoleApp);
}

function standinApi(
  state: StandinState,
  server: Server,
  sockets: Set<Socket>,
  consoleApp: ConsoleHandler,
): SlackStandin {
  return {
    url: state.baseUrl,
    apiUrl: `${state.baseUrl}/api/`,
    calls: state.calls,
    responses: state.responses,
    messages: (channel) => state.messages(channel),
    setRequestUrl: (url) => {
      state.opts.requestUrl = url;
    },
    slashCommand: (args) => slashCommand(state, args),
    clickButton: (args) => clickButton(state, args),
    submitView: (args) => submitView(state, args),
    openHome: (args) => openHome(state, args),
    sendEvent: (args) => sendEvent(state, args),
    home: (user) => state.homes.get(user),
    viewAction: (args) => viewAction(state, args),
    openViews: (user) => state.views.filter((v) => user === undefined || v.user === user),
    waitFor,
    fail: (method, error, times) => state.fail(method, error, times),
    rateLimited: () => Object.fromEntries(state.limiter?.limited ?? []),
    close: async () => {
      consoleApp.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls a predicate until it returns something truthy, or throws after timeoutMs. */
async function waitFor<T>(fn: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`slack stand-in: waitFor timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

async function route(state: StandinState, consoleApp: ConsoleHandler, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', state.baseUrl);
  const path = url.pathname;
  if (req.method === 'POST' && path.startsWith('/api/')) {
    const args = decodeArgs(req.headers['content-type'], await readBody(req));
    const answer = callWebApi(state, path.slice('/api/'.length), args, req.headers.authorization);
    return sendJson(res, answer.status, answer.body, answer.headers);
  }
  if (req.method === 'POST' && path.startsWith('/response/')) {
    const body = parseResponseBody(req.headers['content-type'], await readBody(req));
    const answer = postToResponseUrl(state, path.slice('/response/'.length), body);
    return answer.status === 200 ? sendJson(res, 200, { ok: true }) : sendText(res, answer.status, answer.text);
  }
  if (path.startsWith('/_standin/')) return standinRoute(state, path, url, req, res);
  if (await consoleApp.handle(req, res, url)) return;
  sendText(res, 404, 'not_found');
}

async function standinRoute(state: StandinState, path: string, url: URL, req: IncomingMessage, res: ServerResponse) {
  if (req.method === 'GET' && path === '/_standin/calls') return sendJson(res, 200, state.calls);
  if (req.method === 'GET' && path === '/_standin/responses') return sendJson(res, 200, state.responses);
  if (req.method === 'GET' && path === '/_standin/views') {
    const user = url.searchParams.get('user');
    return sendJson(res, 200, user ? state.viewStack(user) : state.views);
  }
  if (req.method === 'GET' && path === '/_standin/messages') {
    return sendJson(res, 200, state.messages(url.searchParams.get('channel') ?? undefined));
  }
  if (req.method === 'POST' && path === '/_standin/command') {
    const body = await readJsonObject(req);
    const user = str(body.user);
    if (!user || !state.user(user) || typeof body.text !== 'string') {
      return sendJson(res, 400, { error: 'need {user, text} with a known user' });
    }
    const channel = str(body.channel);
    const command = str(body.command);
    const reply = await slashCommand(state, {
      user,
      text: body.text,
      ...(channel ? { channel } : {}),
      ...(command ? { command } : {}),
    });
    return sendJson(res, 200, reply);
  }
  sendText(res, 404, 'not_found');
}
