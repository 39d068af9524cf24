import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The subset of an API Gateway HTTP API (v2) event that Bolt's AwsLambdaReceiver reads. */
export interface HttpApiEvent {
  version: '2.0';
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
  requestContext: { http: { method: string; path: string; sourceIp: string }; requestId: string; timeEpoch: number };
}

/** A Lambda handler for HTTP API events. */
export type HttpApiHandler = (
  event: HttpApiEvent,
  context: unknown,
) => Promise<{ statusCode: number; headers?: Record<string, unknown>; body?: string }>;

/**
 * Serves a Lambda handler over plain HTTP the way API Gateway would, so `npm start` and the tests run
 * the very ingress code that runs on AWS: same receiver, same signature checks.
 */
export async function serveLambda(
  handler: HttpApiHandler,
  options: { port?: number; path?: string; routes?: Record<string, HttpApiHandler> } = {},
): Promise<{ url: string; server: Server }> {
  const path = options.path ?? '/slack/events';
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://local');
      // Other routes of the same API (e.g. POST /leaks) get their own handler, as API Gateway routes them.
      const target = url.pathname === path ? handler : options.routes?.[url.pathname];
      if (!target || req.method !== 'POST') {
        res.writeHead(404).end();
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
      const event: HttpApiEvent = {
        version: '2.0',
        routeKey: `POST ${url.pathname}`,
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
        isBase64Encoded: false,
        requestContext: {
          http: { method: 'POST', path: url.pathname, sourceIp: req.socket.remoteAddress ?? '' },
          requestId: `local-${++n}`,
          timeEpoch: Date.now(),
        },
      };
      target(event, {})
        .then((r) => {
          const out: Record<string, string> = {};
          for (const [k, v] of Object.entries(r.headers ?? {})) out[k] = String(v);
          res.writeHead(r.statusCode, out).end(r.body ?? '');
        })
        .catch(() => res.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, server };
}
