import { inspect } from 'node:util';
import { expect } from 'vitest';
import { TokenOpsError } from '../../src/core/errors.js';

/** What a promise rejects with: a TokenOpsError (fails the test if it resolves or throws anything else). */
export async function caught(p: Promise<unknown>): Promise<TokenOpsError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TokenOpsError);
  return err as TokenOpsError;
}

/** Everything an error could leak through: message, fields, JSON, util.inspect, and its causes. */
export function errorText(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e && depth < 5; depth++) {
    parts.push(String(e), inspect(e, { depth: 5 }), JSON.stringify(e) ?? '');
    e = (e as { cause?: unknown }).cause;
  }
  return parts.join('\n');
}
