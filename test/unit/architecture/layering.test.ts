import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMAND_TRAITS, type CommandTraits } from '../../../src/commands/access.js';
import type { Command, CommandName } from '../../../src/commands/command.js';
import { COMMAND_NAMES } from '../../../src/commands/help.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Every TypeScript and JavaScript file under a folder. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|cts|js|mjs|cjs)$/.test(name) ? [path] : [];
  });
}

/** The module specifiers a file imports or re-exports, statically or dynamically. */
function specifiers(text: string): string[] {
  const found = [
    ...text.matchAll(/\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g),
    ...text.matchAll(/\bimport\s*['"]([^'"]+)['"]/g),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...text.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g),
  ];
  return found.map((m) => m[1] as string);
}

/** The imports of files under `from` that resolve into the folder `into`, as `file -> specifier`. */
function importsInto(from: string, into: string): string[] {
  const target = join(ROOT, into) + sep;
  return sourceFiles(join(ROOT, from)).flatMap((file) =>
    specifiers(readFileSync(file, 'utf8'))
      .filter((s) => s.startsWith('.') && (resolve(dirname(file), s) + sep).startsWith(target))
      .map((s) => `${relative(ROOT, file)} -> ${s}`),
  );
}

describe('layering', () => {
  it('finds a planted import of test/ (the check itself works)', () => {
    const text =
      "import { x } from '../../test/support/dynamo.js';\nexport * from \"../y.js\";\nawait import('./z.js');";
    expect(specifiers(text)).toEqual(['../../test/support/dynamo.js', '../y.js', './z.js']);
  });

  it('ships nothing that imports test code: src/ never imports test/', () => {
    expect(importsInto('src', 'test')).toEqual([]);
  });

  it('keeps the domain core free of every other layer', () => {
    const outward = ['commands', 'providers', 'slack', 'worker', 'store', 'handlers', 'local', 'queue', 'config'];
    expect(outward.flatMap((layer) => importsInto('src/core', `src/${layer}`))).toEqual([]);
  });
});

describe('command traits', () => {
  it('gives every command its traits, and knows no command that does not exist', () => {
    const names: Command['name'][] = [...COMMAND_NAMES, 'create_modal', 'revoke_bulk'];
    for (const name of names) expect(COMMAND_TRAITS[name], name).toBeDefined();
    expect(Object.keys(COMMAND_TRAITS).sort()).toEqual([...names].sort());
  });

  it('is exhaustive at compile time: a CommandName without a row does not type-check', () => {
    // tsc (part of npm test) rejects this line when COMMAND_TRAITS lacks a CommandName.
    const table: Record<CommandName, CommandTraits> = COMMAND_TRAITS;
    expect(Object.keys(table).length).toBeGreaterThanOrEqual(COMMAND_NAMES.length);
  });
});
