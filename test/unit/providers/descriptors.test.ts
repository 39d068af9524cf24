import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../../src/local/simulators/index.js';
import { ADAPTERS } from '../../../src/providers/adapters.js';
import { connectionSchema, DESCRIPTORS, descriptorOf, PROVIDER_TYPES } from '../../../src/providers/descriptors.js';
import { createAdapter } from '../../../src/providers/registry.js';
import { parseRef, safeRef } from '../../../src/providers/ref.js';
import { TARGETS } from '../../contract/targets/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The only files outside `src/providers/<type>/` whose code may name a provider: the two lists a new
 * provider adds one line to, and the local demo's data (policies that mention example providers).
 */
const MAY_NAME_PROVIDERS = ['src/providers/descriptors.ts', 'src/providers/adapters.ts', 'src/local/demo.ts'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** The text of a file's code with comments removed and each string literal replaced by a mark. */
export function codeOnly(text: string, literal: (body: string) => string): string {
  let out = '';
  let i = 0;
  const braces: number[] = []; // open `{` count per `${` of the templates we are inside
  const readQuoted = (quote: string): string => {
    let body = '';
    for (i++; i < text.length && text[i] !== quote; i++)
      body += text[i] === '\\' ? text[i] + (text[++i] ?? '') : text[i];
    i++;
    return body;
  };
  const readTemplate = (): void => {
    let body = '';
    for (i++; i < text.length; i++) {
      if (text[i] === '\\') body += text[i] + (text[++i] ?? '');
      else if (text[i] === '`') return void ((out += literal(body)), i++);
      else if (text[i] === '$' && text[i + 1] === '{') return void ((out += literal(body)), (i += 2), braces.push(0));
      else body += text[i];
    }
  };
  const skipRegex = (): void => {
    let inClass = false;
    for (i++; i < text.length && text[i] !== '\n'; i++) {
      if (text[i] === '\\') i++;
      else if (text[i] === '[') inClass = true;
      else if (text[i] === ']') inClass = false;
      else if (text[i] === '/' && !inClass) break;
    }
    for (i++; /[a-z]/.test(text[i] ?? ''); i++);
    out += '/re/';
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '/' && text[i + 1] === '/') while (i < text.length && text[i] !== '\n') i++;
    else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else if (c === '/' && /(^|[(,=:[!&|?{};]|\breturn)$/.test(out.trimEnd())) skipRegex();
    else if (c === "'" || c === '"') out += literal(readQuoted(c));
    else if (c === '`') readTemplate();
    else if (c === '}' && braces.length > 0 && braces[braces.length - 1] === 0) {
      braces.pop();
      i--;
      readTemplate(); // the rest of the template after `}`
    } else {
      const top = braces.length - 1;
      if (top >= 0 && (c === '{' || c === '}')) braces[top] = (braces[top] ?? 0) + (c === '{' ? 1 : -1);
      out += c;
      i++;
    }
  }
  return out;
}

/**
 * Where code (not a comment, not prose inside a longer string) names a provider type: as an identifier
 * or object key (`triton:`), or as a whole string literal (`'triton'`).
 */
export function providerMentions(text: string, types: readonly string[]): string[] {
  const words = types.join('|');
  const whole = new RegExp(`^(${words})$`);
  const code = codeOnly(text, (body) => (whole.test(body) ? ` ${body} ` : "''"));
  return [...code.matchAll(new RegExp(`\\b(${words})\\b`, 'g'))].map((m) => m[1] as string);
}

describe('one place per provider', () => {
  it('finds a planted mention (the scan itself works)', () => {
    const text = [
      'const a = { triton: 1 }; // cobalt in a comment',
      "if (p === 'mailtrap') x();",
      "say('A REF looks like vaultoro:prod/1');",
      '/* vectorcharts */',
      'log(`type /token list cobalt at ${url} or ${`nested ${`vaultoro`}`}`);',
      "const re = /[`'\"]cobalt/g, half = a / b; // /'",
    ].join('\n');
    expect(providerMentions(text, PROVIDER_TYPES)).toEqual(['triton', 'mailtrap', 'vaultoro']);
  });

  it('names providers in no shipped file outside their folders but the two lists and the demo data', () => {
    const own = new RegExp(`^src/providers/(${PROVIDER_TYPES.join('|')})/`);
    const offenders = tsFiles(join(ROOT, 'src'))
      .map((file) => relative(ROOT, file))
      .filter((file) => !own.test(file) && !MAY_NAME_PROVIDERS.includes(file))
      .flatMap((file) =>
        [...new Set(providerMentions(readFileSync(join(ROOT, file), 'utf8'), PROVIDER_TYPES))].map(
          (p) => `${file} names ${p}`,
        ),
      );
    expect(offenders).toEqual([]);
  });

  it('keeps each descriptor in its own folder, named by its type', () => {
    for (const d of DESCRIPTORS) {
      const text = readFileSync(join(ROOT, 'src/providers', d.type, 'descriptor.ts'), 'utf8');
      expect(text, d.type).toContain(`type: '${d.type}'`);
      expect(descriptorOf(d.type)).toBe(d);
    }
  });

  it('loads no adapter or HTTP client from a descriptor, so the ingress may use the list', () => {
    for (const d of DESCRIPTORS) {
      const text = readFileSync(join(ROOT, 'src/providers', d.type, 'descriptor.ts'), 'utf8');
      expect(text, d.type).not.toMatch(/from '[^']*(adapter|http|undici|simulator)[^']*'/);
    }
  });

  it.each(PROVIDER_TYPES)(
    'wires %s from its descriptor alone: simulator, config, adapter, REF and contract target',
    async (type) => {
      const d = descriptorOf(type);
      const sim = await startSimulator(type, { fingerprintKey: 'descriptor-test-key' });
      try {
        expect(sim.provider).toBe(type);
        const conn = connectionSchema.parse({
          provider: type,
          name: 'check',
          baseUrl: sim.url,
          ...sim.connectionConfig(),
        });
        const adapter = createAdapter(conn, { fingerprintKey: 'descriptor-test-key', retry: { maxRetries: 0 } });
        expect(adapter.provider).toBe(type);
        expect(adapter.capabilities).toEqual(d.capabilities);
        expect(ADAPTERS[type]).toBeTypeOf('function');
        const tokens = await adapter.list();
        for (const t of tokens) {
          expect(t.provider).toBe(type);
          // A listed REF parses back and is already safe: no token id that is a secret leaks into it.
          const ref = parseRef(t.ref);
          expect(safeRef(ref, 'descriptor-test-key')).toEqual(ref);
        }
      } finally {
        await sim.close();
      }
      expect(TARGETS.some((t) => t.provider === type)).toBe(true);
    },
  );

  it('hashes a pasted secret id only for a provider whose token id is a secret', () => {
    for (const d of DESCRIPTORS) {
      const pasted = { provider: d.type, connection: undefined, id: 'pasted-token-value-0123456789' };
      const safe = safeRef(pasted, 'k');
      if (d.refId) expect(safe.id).toBe(d.refId.refId(pasted.id, 'k'));
      else expect(safe).toEqual(pasted);
    }
  });
});
