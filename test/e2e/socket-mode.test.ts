import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SlackStandin } from '../../src/local/slack-standin/index.js';
import { LOCAL } from '../../src/local/demo.js';
import { configFor, useConfigEdges } from './config-mode.js';
import { refsIn, textOf } from './harness.js';

const APP_TOKEN = 'xapp-1-local-socket-mode';

/** Request headers a proxy may pass on (fetch sets length, host and connection itself). */
function forwardable(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined && !['content-length', 'host', 'connection', 'transfer-encoding'].includes(k))
      out[k] = String(v);
  }
  return out;
}

/**
 * Slack's side of Socket Mode, locally: apps.connections.open hands out a WebSocket URL, the socket
 * says hello, carries envelopes and takes their acks. Other Web API calls go on to the stand-in.
 */
async function fakeSocketSlack(
  standin: SlackStandin,
): Promise<{ apiUrl: string; socket: Promise<WebSocket>; close(): Promise<void> }> {
  const wss = new WebSocketServer({ noServer: true });
  let url = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/api/apps.connections.open') {
        const ok = req.headers.authorization === `Bearer ${APP_TOKEN}`;
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(ok ? { ok, url: `${url.replace('http', 'ws')}/link` } : { ok, error: 'invalid_auth' }));
        return;
      }
      void fetch(`${standin.url}${req.url}`, {
        method: req.method,
        headers: forwardable(req.headers),
        body: Buffer.concat(chunks),
      }).then(async (r) => {
        res
          .writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' })
          .end(Buffer.from(await r.arrayBuffer()));
      });
    });
  });
  const socket = new Promise<WebSocket>((resolve) => {
    server.on('upgrade', (req, sock, head) =>
      wss.handleUpgrade(req, sock, head, (ws) => {
        ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0LOCAL' } }));
        resolve(ws);
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl: `${url}/api/`,
    socket,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('npm start -- --config FILE with an app token (Socket Mode)', () => {
  const edges = useConfigEdges();

  it('connects over Socket Mode, acks a slash command on the socket, and answers from the provider', async () => {
    const { sim, standin } = await edges.start('unused-in-socket-mode');
    const slack = await fakeSocketSlack(standin);
    const running = await edges.run(
      configFor(sim, { signingSecret: 'unused-in-socket-mode', appToken: APP_TOKEN, apiUrl: slack.apiUrl }),
    );
    const ws = await slack.socket;
    const ack = new Promise<{ envelope_id: string; payload?: unknown }>((resolve) =>
      ws.on('message', (m) => resolve(JSON.parse(String(m)))),
    );
    const payload = {
      token: 'x',
      team_id: LOCAL.teamId,
      team_domain: 'local',
      channel_id: 'C0GENERAL',
      channel_name: 'general',
      user_id: 'U0ALICE',
      user_name: 'alice',
      command: '/token',
      text: 'list mailtrap',
      api_app_id: 'A0LOCAL',
      is_enterprise_install: 'false',
      response_url: `${standin.url}/response/socket-mode-test`,
      trigger_id: 'sock-trigger-1',
    };
    ws.send(JSON.stringify({ envelope_id: 'env-1', type: 'slash_commands', accepts_response_payload: true, payload }));
    const acked = await ack;
    expect(acked.envelope_id).toBe('env-1');
    expect(textOf(acked.payload)).toMatch(/Working on it/);
    // The response_url is not one the stand-in issued, so the answer falls back to chat.postEphemeral.
    const answer = await standin.waitFor(
      () => standin.calls.find((c) => c.method === 'chat.postEphemeral' && c.args['user'] === 'U0ALICE'),
      10_000,
    );
    expect(refsIn(textOf(answer.args)).length).toBeGreaterThan(0);
    await running.close(); // the Socket Mode client goes before the socket it holds
    await slack.close();
  });
});
