import { OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/** The three Lambda entry points. */
export type HandlerName = 'ingress' | 'worker' | 'schedule';

/** The file name of the resolved config inside every bundle; TOKENOPS_CONFIG_FILE points at it. */
export const BUNDLED_CONFIG_NAME = 'tokenops.config.json';
/** Where Lambda unpacks the bundle. */
export const LAMBDA_TASK_ROOT = '/var/task';

// Bolt and several of its dependencies are CommonJS and call require() for Node built-ins; an ESM
// bundle needs a real require for that. ESM (not CJS) so handlers may use top-level await at init.
const REQUIRE_SHIM = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * Per-handler esbuild options beyond the shared ones. The one place to slim a bundle, e.g. alias
 * Bolt's Socket Mode / Express / OAuth imports to stubs for the ingress:
 * `ingress: { esbuildArgs: { '--alias:@slack/socket-mode': './src/lambda/stub.js' } }`.
 * NodejsFunction runs the esbuild CLI, so esbuild *plugins* cannot be used here; aliases,
 * `define`, `inject` and `--external` can.
 */
export const HANDLER_BUNDLING: Record<HandlerName, Partial<BundlingOptions>> = {
  ingress: {},
  worker: {},
  schedule: {},
};

/**
 * The esbuild options for one handler: ESM for Node 24, minified with source maps, the AWS SDK left
 * to the runtime, and the resolved config written into the bundle as `tokenops.config.json`.
 */
export function bundlingFor(handler: HandlerName, configJsonPath: string): BundlingOptions {
  const extra = HANDLER_BUNDLING[handler];
  return {
    format: OutputFormat.ESM,
    target: 'node24',
    mainFields: ['module', 'main'],
    banner: REQUIRE_SHIM,
    minify: true,
    sourceMap: true,
    // Line mapping is what a stack trace needs; embedding the sources would double the upload.
    sourcesContent: false,
    // The nodejs24.x runtime ships AWS SDK v3, so bundling it would only add weight and cold-start time.
    externalModules: ['@aws-sdk/*'],
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
