import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { ErrorCode, WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { httpsFetch, nodeRequest } from '../../../src/handlers/https-fetch.js';

// The ingress's HTTP over node:http(s) instead of the global fetch (which loads undici at cold
// start): it must behave as fetch does for what Bolt and the Slack Web API client ask of it.

type Handler = (req: IncomingMessage, res: ServerResponse, body: string, socket: Socket) => void;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

/** A loopback server; `sockets` counts the TCP connections it accepted. */
async function serve(handler: Handler) {
  const sockets: Socket[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks).toString('utf8'), req.socket));
  });
  server.on('connection', (s: Socket) => sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets };
}

describe('nodeRequest', () => {
  it('reuses one kept-alive connection for consecutive requests', async () => {
    const s = await serve((_req, res, body) => res.end(`echo:${body}`));
    const url = new URL(`${s.url}/x`);
    const a = await nodeRequest(url, { method: 'POST', headers: {}, body: 'one' });
    const b = await nodeRequest(url, { method: 'POST', headers: {}, body: 'two' });
    expect([a.body.toString(), b.body.toString()]).toEqual(['echo:one', 'echo:two']);
    expect(s.sockets).toHaveLength(1);
  });

  it('sends again on a fresh connection when the server closed the kept-alive one', async () => {
    let n = 0;
    const s = await serve((_req, res, _body, socket) => {
      n++;
      if (n === 2)
        socket.destroy(); // the idle connection died under the client
      else res.end(`ok ${n}`);
    });
    const url = new URL(`${s.url}/x`);
    await nodeRequest(url, { method: 'GET', headers: {} });
    const again = await nodeRequest(url, { method: 'GET', headers: {} });
    expect(again.body.toString()).toBe('ok 3');
    expect(s.sockets).toHaveLength(2);
  });

  it('gives up when the abort signal fires', async () => {
    const s = await serve((_req, res) => setTimeout(() => res.end('late'), 2000));
    const err = await nodeRequest(new URL(s.url), {
      method: 'GET',
      headers: {},
      signal: AbortSignal.timeout(50),
    }).catch((e: unknown) => e);
    expect((err as Error).name).toMatch(/Abort|Timeout/);
  });

  it('undoes a gzip content encoding', async () => {
    const s = await serve((_req, res) =>
      res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync('{"ok":true}')),
    );
    const res = await nodeRequest(new URL(s.url), { method: 'GET', headers: {} });
    expect(JSON.parse(res.body.toString())).toEqual({ ok: true });
  });
});

describe('httpsFetch as the Slack Web API client sees it', () => {
  it('carries a Web API call and its form body, and the reply', async () => {
    const s = await serve((req, res, body) => {
      const user = new URLSearchParams(body).get('user');
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ok: true, user: { id: user, auth: req.headers['authorization'] } }));
    });
    const client = new WebClient('xoxb-test', {
      slackApiUrl: `${s.url}/api/`,
      fetch: httpsFetch,
      retryConfig: { retries: 0 },
    });
    const res = await client.users.info({ user: 'U0ALICE' });
    expect(res.user).toEqual({ id: 'U0ALICE', auth: 'Bearer xoxb-test' });
  });

  it('reports a rate-limited call with its Retry-After', async () => {
    const s = await serve((_req, res) => res.writeHead(429, { 'retry-after': '7' }).end());
    const client = new WebClient('xoxb-test', {
      slackApiUrl: `${s.url}/api/`,
      fetch: httpsFetch,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
    });
    const err = (await client.users.info({ user: 'U1' }).catch((e: unknown) => e)) as {
      code: string;
      retryAfter: number;
    };
    expect(err.code).toBe(ErrorCode.RateLimitedError);
    expect(err.retryAfter).toBe(7);
  });

  it('reports an HTTP error with its status and headers', async () => {
    const s = await serve((_req, res) => res.writeHead(503, { 'x-why': 'maintenance' }).end('down'));
    const client = new WebClient('xoxb-test', {
      slackApiUrl: `${s.url}/api/`,
      fetch: httpsFetch,
      retryConfig: { retries: 0 },
    });
    const err = (await client.users.info({ user: 'U1' }).catch((e: unknown) => e)) as {
      code: string;
      statusCode: number;
      headers: Record<string, string>;
      body: string;
    };
    expect(err.code).toBe(ErrorCode.HTTPError);
    expect(err.statusCode).toBe(503);
    expect(err.headers['x-why']).toBe('maintenance');
  });

  it('refuses to follow a redirect when asked not to, as fetch does', async () => {
    const s = await serve((_req, res) => res.writeHead(302, { location: 'http://elsewhere.invalid/' }).end());
    await expect(httpsFetch(`${s.url}/hook`, { method: 'POST', body: '{}', redirect: 'error' })).rejects.toThrow(
      'redirect',
    );
  });

  it('answers ok, status and json like a fetch Response (what Bolt respond() reads)', async () => {
    const s = await serve((req, res, body) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ got: JSON.parse(body), ct: req.headers['content-type'] })),
    );
    const res = await httpsFetch(`${s.url}/hook`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'hi' }),
    });
    expect(res.ok).toBe(true);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/json');
    expect(await res.json()).toEqual({ got: { text: 'hi' }, ct: 'application/json' });
  });
});
