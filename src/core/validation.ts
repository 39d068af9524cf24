import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { TokenOpsError } from './errors.js';

// zod/mini ships without messages; English ones cost a few KB and make config errors readable.
z.config(en());

/** One problem found by a schema, with the dotted path of the field. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** Turns zod issues into `field.path: message` lines that name the field and never echo its value. */
export function describeIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  prefix = '',
): FieldProblem[] {
  return issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: i.message,
  }));
}

/** Parses with a schema or throws a `config` error listing every field that is wrong. */
export function parseOrThrow<T>(
  schema: {
    safeParse(
      d: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
  },
  data: unknown,
  what: string,
): T {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const lines = describeIssues(r.error.issues).map((p) => `  - ${p.path}: ${p.message}`);
  throw new TokenOpsError('config', `${what} is invalid:\n${lines.join('\n')}`);
}
