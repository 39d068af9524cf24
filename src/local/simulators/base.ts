import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ProviderType } from '../../core/token.js';

/** A fault the simulator can inject into matching requests. */
export type Fault =
  | { kind: 'latency'; ms: number }
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** A rate-limit answer; Retry-After only when given (Mailtrap and Cobalt document none). */
  | { kind: 'rate_limit'; status?: 429 | 509; retryAfter?: string }
  | { kind: 'bad_json'; text?: string }
  | { kind: 'html'; status?: number }
  | { kind: 'reset' }
  | { kind: 'wrong_schema' };

/** Which requests a fault applies to, and how many times. */
export interface FaultRule {
  fault: Fault;
  method?: string;
  path?: RegExp;
  /** How many matching requests get the fault. @default Infinity */
  times?: number;
}

/** One request as the simulator saw it (headers lower-cased). */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** When it arrived (epoch ms): rate-limit tests check windows over the log. */
  at: number;
}

/** What a route handler gets. */
export interface SimRequest extends RecordedRequest {
  params: string[];
  raw: IncomingMessage;
}

/** What a route handler returns. */
export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Options every simulator understands (each ignores those it has no use for). */
export interface CommonSimOptions {
  /** Seeds demo tokens. */
  demo?: boolean;
  /** The fingerprint key of the app under test (Vector Charts REF ids are keyed hashes). */
  fingerprintKey?: string;
  /** Scales the documented rate-limit windows (tests shrink a minute to keep runs short). @default 1 */
  rateWindowScale?: number;
}

/** What each `providers/<type>/simulator.ts` exports as `startSimulator`. */
export type StartSimulator = (options?: CommonSimOptions) => Promise<ProviderSimulator>;

type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

/** The surface every provider simulator offers to tests, the contract suite and `npm start`. */
export interface ProviderSimulator {
  readonly provider: ProviderType;
  /** Base URL to put in the connection config. */
  readonly url: string;
  /** Connection config fields (credentials and provider-specific ids) that work against this simulator. */
  connectionConfig(): Record<string, unknown>;
  /** Every request seen, in order. */
  readonly requests: RecordedRequest[];
  /** Adds a fault rule; returns a function that removes it. */
  inject(rule: FaultRule): () => void;
  /** Removes every fault rule and the base latency. */
  clearFaults(): void;
  /** Adds latency to every request (the benchmark's 50 ms). */
  setLatency(ms: number): void;
  /** Authenticates with a managed token's secret the way a real client would; returns the HTTP status. */
  useSecret(secret: string): Promise<number>;
  /** Creates a token directly in the simulator's state (as the provider's web app would) and returns it. */
  seedToken(name: string, extra?: Record<string, unknown>): { id: string; secret: string };
  close(): Promise<void>;
}

/**
 * A small HTTP server with routing, per-request fault injection and a request log: the shared base
 * of the five provider simulators. Listens on 127.0.0.1, port 0 unless told otherwise.
 */
export class SimServer {
  readonly requests: RecordedRequest[] = [];
  #routes: { method: string; pattern: RegExp; handler: Handler }[] = [];
  #faults: (FaultRule & { left: number })[] = [];
  #latency = 0;
  #server: Server | undefined;
  #sockets = new Set<Socket>();
  url = '';

  /** Registers a route; the pattern must match the whole path, groups become `params`. */
  route(method: string, pattern: RegExp, handler: Handler): this {
    this.#routes.push({ method, pattern, handler });
    return this;
  }

  inject(rule: FaultRule): () => void {
    const entry = { ...rule, left: rule.times ?? Infinity };
    this.#faults.push(entry);
    return () => {
      this.#faults = this.#faults.filter((f) => f !== entry);
    };
  }

  clearFaults(): void {
    this.#faults = [];
    this.#latency = 0;
  }

  setLatency(ms: number): void {
    this.#latency = ms;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => void this.#handle(req, res));
    server.keepAliveTimeout = 60_000;
    server.on('connection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    this.#server = server;
    const addr = server.address() as AddressInfo;
    this.url = `http://${host}:${addr.port}`;
    return this.url;
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  #takeFaults(method: string, path: string): Fault[] {
    const hit: Fault[] = [];
    for (const f of this.#faults) {
      if (f.left <= 0) continue;
      if (f.method && f.method !== method) continue;
      if (f.path && !f.path.test(path)) continue;
      f.left--;
      hit.push(f.fault);
    }
    return hit;
  }

  async #handle(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    const rec = await recordOf(raw);
    this.requests.push(rec);
    if (this.#latency > 0) await sleep(this.#latency);
    let wrongSchema = false;
    for (const fault of this.#takeFaults(rec.method, rec.path)) {
      if (fault.kind === 'latency') await sleep(fault.ms);
      else if (fault.kind === 'reset') return void raw.socket.destroy();
      else if (fault.kind === 'wrong_schema') wrongSchema = true;
      else return send(res, faultAnswer(fault), fault.kind === 'bad_json' || fault.kind === 'html');
    }
    if (wrongSchema) return send(res, { status: 200, body: { unexpected: [{ shape: true }] } });
    return send(res, await this.#route(rec, raw));
  }

  /** The answer of the first route that matches, a 500 when its handler throws, else a 404. */
  async #route(rec: RecordedRequest, raw: IncomingMessage): Promise<SimResponse> {
    for (const r of this.#routes) {
      if (r.method !== rec.method) continue;
      const m = r.pattern.exec(rec.path);
      if (!m) continue;
      try {
        return await r.handler({ ...rec, params: m.slice(1), raw });
      } catch (err) {
        return { status: 500, body: { error: String(err) } };
      }
    }
    return { status: 404, body: { error: 'Not Found' } };
  }
}

/** Reads a request's body (JSON when it parses, else the text) into the record tests inspect. */
async function recordOf(raw: IncomingMessage): Promise<RecordedRequest> {
  const url = new URL(raw.url ?? '/', 'http://sim');
  const chunks: Buffer[] = [];
  for await (const c of raw) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return {
    method: raw.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: raw.headers,
    body,
    at: Date.now(),
  };
}

/** What an injected fault answers instead of the route (bad_json and html are sent as raw text). */
function faultAnswer(fault: Extract<Fault, { kind: 'bad_json' | 'html' | 'rate_limit' | 'status' }>): SimResponse {
  switch (fault.kind) {
    case 'bad_json':
      return { status: 200, body: fault.text ?? '{"data": [ {"oops"', headers: { 'content-type': 'application/json' } };
    case 'html':
      return {
        status: fault.status ?? 502,
        body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
        headers: { 'content-type': 'text/html' },
      };
    case 'rate_limit':
      return {
        status: fault.status ?? 429,
        body: { errors: 'Rate limit exceeded' },
        headers: fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter },
      };
    case 'status':
      return { status: fault.status, body: fault.body ?? { error: 'Injected failure' }, headers: fault.headers ?? {} };
  }
}

function send(res: ServerResponse, r: SimResponse, rawText = false): void {
  const headers: Record<string, string> = { ...(r.headers ?? {}) };
  let payload = '';
  if (r.body !== undefined) {
    payload = rawText && typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    headers['content-type'] ??= 'application/json';
  }
  res.writeHead(r.status, headers);
  res.end(payload);
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Random lowercase hex of the given length. */
export function hex(length: number): string {
  let s = '';
  while (s.length < length) s += Math.random().toString(16).slice(2);
  return s.slice(0, length);
}

/** Reads one header as a string. */
export function header(req: RecordedRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * A fixed-window rate limiter keyed by caller, as providers document theirs.
 * `take` returns undefined when allowed, else the seconds until the window resets.
 */
export class FixedWindowLimiter {
  #windows = new Map<string, { start: number; count: number }>();
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}
  take(key: string, now = Date.now()): { remaining: number; retryAfterS?: number } {
    let w = this.#windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 };
      this.#windows.set(key, w);
    }
    if (w.count >= this.limit) return { remaining: 0, retryAfterS: Math.ceil((w.start + this.windowMs - now) / 1000) };
    w.count++;
    return { remaining: this.limit - w.count };
  }
}

/** What the class-style simulators share: their server's request log and fault controls. */
export abstract class SimulatorBase {
  protected readonly server = new SimServer();

  /** Every request seen, in order. */
  get requests(): RecordedRequest[] {
    return this.server.requests;
  }

  inject(rule: FaultRule): () => void {
    return this.server.inject(rule);
  }

  clearFaults(): void {
    this.server.clearFaults();
  }

  setLatency(ms: number): void {
    this.server.setLatency(ms);
  }
}
