import { OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { esbuildOptionsFor, type HandlerName } from './esbuild-options.js';

/** The Lambda entry points. */
export type { HandlerName };

/** The file name of the resolved config inside every bundle; TOKENOPS_CONFIG_FILE points at it. */
export const BUNDLED_CONFIG_NAME = 'tokenops.config.json';
/** Where Lambda unpacks the bundle. */
export const LAMBDA_TASK_ROOT = '/var/task';

/**
 * Per-handler NodejsFunction options beyond the shared esbuild ones (cdk/esbuild-options.ts, where
 * bundles are slimmed, e.g. the ingress's Bolt stubs). NodejsFunction runs the esbuild CLI, so esbuild
 * *plugins* cannot be used; aliases, `define`, `inject` and `--external` can.
 */
export const HANDLER_BUNDLING: Record<HandlerName, Partial<BundlingOptions>> = {
  ingress: {},
  worker: {},
  schedule: {},
  leaks: {},
};

/**
 * The NodejsFunction bundling of one handler: the shared esbuild options (ESM for Node 24, minified
 * with source maps, AWS SDK external, slimming aliases) and the resolved config written into the
 * bundle as `tokenops.config.json`. The benchmarks and bundle tests build with the same options.
 */
export function bundlingFor(handler: HandlerName, configJsonPath: string): BundlingOptions {
  const o = esbuildOptionsFor(handler);
  const extra = HANDLER_BUNDLING[handler];
  return {
    format: OutputFormat.ESM,
    target: o.target,
    mainFields: o.mainFields,
    banner: o.banner,
    minify: o.minify,
    sourceMap: o.sourcemap,
    sourcesContent: o.sourcesContent,
    externalModules: o.external,
    define: o.define,
    // NodejsFunction runs esbuild in the project root, which alias paths are relative to.
    esbuildArgs: { '--alias': Object.entries(o.alias).map(([from, to]) => `${from}=${to}`) },
    ...extra,
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (_inputDir: string, outputDir: string) => [
        ...(extra.commandHooks?.afterBundling(_inputDir, outputDir) ?? []),
        copyCommand(configJsonPath, `${outputDir}/${BUNDLED_CONFIG_NAME}`),
      ],
    },
  };
}

/** A copy that works in both shells CDK bundles with (bash and cmd), since Node is there anyway. */
function copyCommand(from: string, to: string): string {
  const script = 'require("fs").copyFileSync(process.argv[1], process.argv[2])';
  return `node -e ${JSON.stringify(script)} ${JSON.stringify(from)} ${JSON.stringify(to)}`;
}
