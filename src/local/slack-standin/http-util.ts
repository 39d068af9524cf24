import type { IncomingMessage, ServerResponse } from 'node:http';

/** Web API arguments that clients send as JSON strings inside a form body. */
const JSON_ARGS = new Set(['blocks', 'attachments', 'view', 'metadata', 'options']);

/** Reads a request body as UTF-8 text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Decodes a Web API body (form-encoded or JSON) into arguments, parsing JSON-valued form fields. */
export function decodeArgs(contentType: string | undefined, body: string): Record<string, unknown> {
  if (!body) return {};
  if (contentType?.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(body);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  }
  const args: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    args[k] = JSON_ARGS.has(k) ? tryJson(v) : v;
  }
  return args;
}

/** Parses JSON, or returns the text unchanged when it is not JSON. */
export function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Sends a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** Sends plain text (Slack's response_url errors are bare words like `used_url`). */
export function sendText(res: ServerResponse, status: number, text: string, type = 'text/plain; charset=utf-8') {
  res.writeHead(status, { 'content-type': type });
  res.end(text);
}

/** Reads a JSON request body as an object (empty object when absent or invalid). */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const parsed = tryJson(await readBody(req));
  return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
}

/** A string argument, or undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
