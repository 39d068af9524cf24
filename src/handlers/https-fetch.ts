import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

/**
 * HTTP for the ingress Lambda over `node:http(s)` with keep-alive, instead of the global `fetch`.
 * The first `fetch()` in a Node process loads undici, its WebAssembly HTTP parser and web streams:
 * ~145 ms and ~40 MB at cold start, on the request Slack waits for (3 s at most). `node:https` is
 * already loaded by Bolt. Two shapes: {@link nodeRequest} for our own calls (aws-lite.ts), and
 * {@link httpsFetch}, the subset of `fetch` that Bolt and the Slack Web API client use, handed to
 * them as `clientOptions.fetch`.
 */

/** One request: URL, method, headers, an optional body and abort signal. */
export interface NodeRequestInit {
  method: string;
  headers: Record<string, string>;
  body?: string | Buffer | undefined;
  signal?: AbortSignal | undefined;
}

/** A whole response, read into memory (every caller here reads small JSON bodies). */
export interface NodeResponse {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

// One keep-alive pool per protocol for the life of the container: the second request to Slack or
// AWS skips the TCP and TLS handshakes. Idle sockets are unref'd by Node, so they keep no process alive.
const agents = {
  'http:': new HttpAgent({ keepAlive: true, maxSockets: 32 }),
  'https:': new HttpsAgent({ keepAlive: true, maxSockets: 32 }),
};

/** Undoes a content encoding the server applied (we never ask for one, but a proxy may). */
function decode(body: Buffer, encoding: string | undefined): Buffer {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(body);
    case 'deflate':
      return inflateSync(body);
    case 'br':
      return brotliDecompressSync(body);
    default:
      return body;
  }
}

function sendOnce(url: URL, init: NodeRequestInit): Promise<{ res: NodeResponse; reused: boolean }> {
  const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
  const agent = url.protocol === 'http:' ? agents['http:'] : agents['https:'];
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method, headers: init.headers, agent, signal: init.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        try {
          const body = decode(Buffer.concat(chunks), res.headers['content-encoding'] as string | undefined);
          resolve({
            res: { status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, body },
            reused: req.reusedSocket,
          });
        } catch (err) {
          reject(err as Error);
        }
      });
    });
    req.on('error', (err: Error & { reused?: boolean }) => {
      err.reused = req.reusedSocket;
      reject(err);
    });
    req.end(init.body);
  });
}

/**
 * Sends one request and reads the whole response. A kept-alive socket the server closed meanwhile
 * fails at once with ECONNRESET before the server read anything; that one case is sent again on a
 * fresh socket (what Node's documentation advises), every other error is the caller's to handle.
 */
export async function nodeRequest(url: URL, init: NodeRequestInit): Promise<NodeResponse> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`unsupported URL ${url.protocol}`);
  try {
    return (await sendOnce(url, init)).res;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { reused?: boolean };
    if (e.reused && e.code === 'ECONNRESET' && !init.signal?.aborted) return (await sendOnce(url, init)).res;
    throw err;
  }
}

/** The part of the fetch `Headers` API that Bolt and the Web API client read. */
class ResponseHeaders {
  constructor(private readonly raw: IncomingHttpHeaders) {}
  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  }
  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }
  *entries(): IterableIterator<[string, string]> {
    for (const k of Object.keys(this.raw)) yield [k, this.get(k) as string];
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
  forEach(fn: (value: string, key: string) => void): void {
    for (const [k, v] of this.entries()) fn(v, k);
  }
}

/** The part of the fetch `Response` API that Bolt and the Web API client read. */
class BufferedResponse {
  readonly headers: ResponseHeaders;
  readonly ok: boolean;
  readonly redirected = false;
  readonly type = 'basic';
  readonly bodyUsed = false;
  constructor(
    readonly url: string,
    private readonly res: NodeResponse,
  ) {
    this.headers = new ResponseHeaders(res.headers);
    this.ok = res.status >= 200 && res.status < 300;
  }
  get status(): number {
    return this.res.status;
  }
  get statusText(): string {
    return this.res.statusText;
  }
  async text(): Promise<string> {
    return this.res.body.toString('utf8');
  }
  async json(): Promise<unknown> {
    return JSON.parse(this.res.body.toString('utf8'));
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const b = this.res.body;
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }
}

/**
 * Request headers in any of the shapes fetch accepts, as a plain object. (No `instanceof Headers`:
 * touching the global `Headers` is what loads undici.)
 */
function plainHeaders(h: RequestInit['headers']): Record<string, string> {
  if (!h) return {};
  if (Array.isArray(h)) return Object.fromEntries(h.map(([k, v]) => [String(k), String(v)]));
  const entries = (h as { entries?: unknown }).entries;
  if (typeof entries === 'function')
    return Object.fromEntries([...(entries.call(h) as Iterable<[string, string]>)].map(([k, v]) => [k, String(v)]));
  return Object.fromEntries(Object.entries(h as Record<string, string>).map(([k, v]) => [k, String(v)]));
}

/** A request body of the kinds Slack's clients send (text, form fields, bytes). */
function plainBody(body: RequestInit['body']): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  // FormData/streams (file uploads) would need undici; the ingress never sends them.
  throw new TypeError('httpsFetch sends text and byte bodies only');
}

/**
 * `fetch` over {@link nodeRequest}, for `clientOptions.fetch` of Bolt (respond()) and the Slack Web
 * API client. Follows no redirect: Slack's client asks for `redirect: 'error'`, and a 3xx from the
 * Web API or a response_url is a failure either way.
 */
export const httpsFetch = (async (input: string | URL, init: RequestInit = {}) => {
  const url = new URL(String(input instanceof URL ? input.href : input));
  const method = (init.method ?? 'GET').toUpperCase();
  const res = await nodeRequest(url, {
    method,
    headers: plainHeaders(init.headers),
    body: plainBody(init.body),
    signal: init.signal ?? undefined,
  });
  if (res.status >= 300 && res.status < 400 && init.redirect === 'error')
    throw new TypeError(`fetch failed: redirect (${res.status}) refused`);
  return new BufferedResponse(url.href, res);
}) as unknown as typeof fetch;
