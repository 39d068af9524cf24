import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as real from 'zod/mini';
import { z as slim } from '../../../src/handlers/stubs/zod-mini.js';

// The Lambda bundles alias 'zod/mini' to src/handlers/stubs/zod-mini.ts, whose `z` lists members
// one by one (see there why). A source that starts to use another member must fail here, not at a
// Lambda's cold start.

/** Every .ts file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The `z.<member>(` calls of every source that imports zod/mini. */
function membersUsed(): string[] {
  const used = new Set<string>();
  for (const file of sources('src')) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes("'zod/mini'")) continue;
    for (const m of text.matchAll(/\bz\.([A-Za-z_$][\w$]*)\s*\(/g)) used.add(m[1] as string);
  }
  return [...used].sort();
}

describe('the zod/mini alias of the Lambda bundles', () => {
  it('offers, as the very same functions, every z member the sources call', () => {
    const used = membersUsed();
    expect(used.length).toBeGreaterThan(10);
    const table = slim as unknown as Record<string, unknown>;
    const zod = real.z as unknown as Record<string, unknown>;
    for (const name of used) expect(table[name], `z.${name}`).toBe(zod[name]);
  });

  it('re-exports zod/mini by name too, for `import * as z` sources', async () => {
    const mod = (await import('../../../src/handlers/stubs/zod-mini.js')) as Record<string, unknown>;
    expect(mod['looseObject']).toBe(real.looseObject);
  });
});
