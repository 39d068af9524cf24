/**
 * The esbuild options of the Lambda bundles, in one place: cdk/bundling.ts turns them into
 * NodejsFunction props (which run the esbuild *CLI*), and the benchmarks and bundle tests hand them to
 * the esbuild JS API, so what we measure is what we deploy. Only CLI-expressible options live here
 * (aliases, externals, define, banner…): NodejsFunction cannot run esbuild plugins.
 */
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

/** The Lambda entry points. */
export type HandlerName = 'ingress' | 'worker' | 'schedule' | 'leaks';

/** The repository root: esbuild runs here, and alias paths below are relative to it. */
export const ESBUILD_ROOT = fileURLToPath(new URL('..', import.meta.url));

// Bolt and several of its dependencies are CommonJS and call require() for Node built-ins; an ESM
// bundle needs a real require for that. ESM (not CJS) so handlers may use top-level await at init.
const REQUIRE_SHIM = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

const STUBS = './src/handlers/stubs';

// No alias for zod: the sources write `import * as z from 'zod/mini'` (never `import { z }`, whose `z`
// is zod's whole namespace as one value and keeps all of zod, ~420 KB), so esbuild tree-shakes it.
// test/unit/handlers/ingress-bundle.test.ts keeps the size honest.
const COMMON_ALIASES: Record<string, string> = {};

/**
 * Packages the ingress never runs, replaced by stubs that throw (and record the hit) if used.
 * Bolt's index requires Socket Mode, OAuth and Express (and raw-body, which brings iconv-lite, and
 * path-to-regexp) eagerly, for receivers other than AwsLambdaReceiver. Aliasing *package names*,
 * not Bolt's internal file paths, keeps working across Bolt releases that move files around;
 * test/unit/handlers/ingress-bundle.test.ts fails if an upgrade starts using one of them.
 */
export const INGRESS_STUBS: Record<string, string> = {
  '@slack/socket-mode': `${STUBS}/slack-socket-mode.cjs`,
  '@slack/oauth': `${STUBS}/slack-oauth.cjs`,
  express: `${STUBS}/express.cjs`,
  'raw-body': `${STUBS}/raw-body.cjs`,
  'path-to-regexp': `${STUBS}/path-to-regexp.cjs`,
};

/** The CLI-expressible esbuild options of one handler (NodejsFunction names in comments). */
export interface LambdaEsbuildOptions {
  format: 'esm';
  target: string;
  mainFields: string[];
  /** `banner` (JS). */
  banner: string;
  minify: boolean;
  /** `sourceMap`. */
  sourcemap: boolean;
  sourcesContent: boolean;
  /** `externalModules`. */
  external: string[];
  /** `esbuildArgs: { '--alias': ['pkg=path'] }`; paths relative to {@link ESBUILD_ROOT}. */
  alias: Record<string, string>;
  /** `define`. */
  define: Record<string, string>;
}

/** The options of one handler's bundle: ESM for Node 24, minified with source maps, slimmed. */
export function esbuildOptionsFor(handler: HandlerName): LambdaEsbuildOptions {
  return {
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    banner: REQUIRE_SHIM,
    minify: true,
    sourcemap: true,
    // Line mapping is what a stack trace needs; embedding the sources would double the upload.
    sourcesContent: false,
    // The nodejs24.x runtime ships AWS SDK v3. The bundles read their config as JSON, so the lazily
    // imported YAML parser (src/config/load.ts) stays out.
    external: ['@aws-sdk/*', 'yaml'],
    alias: { ...COMMON_ALIASES, ...(handler === 'ingress' ? INGRESS_STUBS : {}) },
    define: {},
  };
}

/**
 * The same options for the esbuild JS API (benchmarks, tests), plus a metafile. Bundles the handler
 * at `entry` (relative to the repository root, or absolute) into `outfile`.
 */
export function esbuildBuildOptions(
  options: LambdaEsbuildOptions,
  entry: string,
  outfile: string,
): BuildOptions & { metafile: true } {
  return {
    entryPoints: [entry],
    outfile,
    absWorkingDir: ESBUILD_ROOT,
    bundle: true,
    platform: 'node',
    format: options.format,
    target: options.target,
    mainFields: options.mainFields,
    banner: { js: options.banner },
    minify: options.minify,
    sourcemap: options.sourcemap,
    sourcesContent: options.sourcesContent,
    external: options.external,
    alias: options.alias,
    define: options.define,
    metafile: true,
    logLevel: 'silent',
  };
}

/** Options for a baseline bundle built the same way but without our slimming (no aliases). */
export function unslimmed(options: LambdaEsbuildOptions): LambdaEsbuildOptions {
  return { ...options, alias: {} };
}
