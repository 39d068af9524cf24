import { readFile } from 'node:fs/promises';

/** A file the console serves. */
export interface Asset {
  body: string;
  type: string;
}

const STATIC: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'styles.css': 'text/css; charset=utf-8',
};

/** The renderer's modules, written in TypeScript for node and compiled for the browser on first request. */
const BROWSER_MODULES = new Set(['render.js', 'mrkdwn.js', 'vnode.js']);
const compiled = new Map<string, Promise<string>>();

async function compile(name: string): Promise<string> {
  const { transform } = await import('esbuild');
  const source = await readFile(new URL(name.replace(/\.js$/, '.ts'), import.meta.url), 'utf8');
  const out = await transform(source, { loader: 'ts', format: 'esm', target: 'es2020' });
  return out.code;
}

/** Loads a console asset by file name (only the known ones: no paths from the request reach the file system). */
export async function loadAsset(name: string): Promise<Asset | undefined> {
  const type = STATIC[name];
  if (type) return { body: await readFile(new URL(name, import.meta.url), 'utf8'), type };
  if (!BROWSER_MODULES.has(name)) return undefined;
  let code = compiled.get(name);
  if (!code) {
    code = compile(name);
    compiled.set(name, code);
    code.catch(() => compiled.delete(name));
  }
  return { body: await code, type: 'text/javascript; charset=utf-8' };
}
