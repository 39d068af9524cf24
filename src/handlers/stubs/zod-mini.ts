/**
 * `zod/mini` for the Lambda bundles (aliased in cdk/esbuild-options.ts). Our sources write
 * `import { z } from 'zod/mini'`, and `z` there is zod's whole namespace re-exported as one value, so
 * esbuild must keep every export of zod (all schemas, JSON Schema, 40 locales): ~420 KB instead of
 * ~15 KB. This module offers the same `z`, built from only the functions the sources use, and
 * re-exports the rest by name, so `import * as z from 'zod/mini'` keeps working and stays small.
 * test/unit/handlers/zod-mini-stub.test.ts fails when a source uses a `z.` member missing here.
 */
import {
  _default,
  array,
  boolean,
  config,
  discriminatedUnion,
  extend,
  int,
  literal,
  looseObject,
  minLength,
  nonnegative,
  nullable,
  nullish,
  number,
  object,
  optional,
  partialRecord,
  positive,
  record,
  regex,
  string,
  union,
  url,
  enum as enum_,
} from 'zod/v4/mini';

export * from 'zod/v4/mini';

/** The `z` our sources use, with only what they call (types come from the real package at compile time). */
export const z = {
  _default,
  array,
  boolean,
  config,
  discriminatedUnion,
  enum: enum_,
  extend,
  int,
  literal,
  looseObject,
  minLength,
  nonnegative,
  nullable,
  nullish,
  number,
  object,
  optional,
  partialRecord,
  positive,
  record,
  regex,
  string,
  union,
  url,
};
