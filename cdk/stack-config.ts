import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import * as z from 'zod/mini';
import { appConfigSchema, type AppConfig } from '../src/config/schema.js';
import { TokenOpsError } from '../src/core/errors.js';
import { parseOrThrow } from '../src/core/validation.js';

/** Where the operator's config file is looked for when neither context nor environment names one. */
export const DEFAULT_CONFIG_FILE = 'tokenops.config.yaml';
/** Default name of the Slack secret (JSON {signingSecret, botToken}). */
export const DEFAULT_SLACK_SECRET = 'tokenops/slack';
/** Default name of the fingerprint HMAC key secret. */
export const DEFAULT_FINGERPRINT_SECRET = 'tokenops/fingerprint-key';

// Secrets Manager's own rule for names; checked here so a bad name fails at synth, not mid-deploy.
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const positiveInt = z.number().check(z.int(), z.positive());

/** CloudWatch Logs accepts only these retention periods (days). */
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 3653];

/**
 * Deployment settings: the optional `aws:` section of the config file. It is read only by the stack and
 * never shipped to the functions; every field has a default so a plain app config deploys as is.
 */
export const deploySchema = z.object({
  /** CloudFormation stack name. @default "TokenOps" */
  stackName: z._default(z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'must be a stack name')), 'TokenOps'),
  /** Powertools log level of every function. @default "INFO" */
  logLevel: z._default(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']), 'INFO'),
  /** Days CloudWatch keeps function and API access logs. @default 90 */
  logRetentionDays: z._default(
    z.number().check(z.refine((d) => RETENTION_DAYS.includes(d), `must be one of ${RETENTION_DAYS.join(', ')}`)),
    90,
  ),
  /** When the periodic jobs (expiry reminders, stale-token report) run, UTC. @default "cron(0 8 * * ? *)" */
  scheduleExpression: z._default(
    z.string().check(z.regex(/^(cron|rate)\(.+\)$/, 'must be cron(...) or rate(...)')),
    'cron(0 8 * * ? *)',
  ),
  /** Request rate limits of the Slack endpoint (requests/s and burst). @default 20 / 40 */
  throttle: z._default(z.object({ rateLimit: positiveInt, burstLimit: positiveInt }), {
    rateLimit: 20,
    burstLimit: 40,
  }),
  /**
   * Reserved concurrency per function, or `false` for none. None by default: an account whose Lambda
   * concurrency quota is still the new-account 10 cannot reserve any (AWS keeps 10 unreserved).
   * @default false
   */
  reservedConcurrency: z._default(
    z.union([z.literal(false), z.object({ ingress: positiveInt, worker: positiveInt, schedule: positiveInt })]),
    false,
  ),
  /**
   * Most worker instances the job queue may run at once when nothing is reserved (2 to 1000), so a
   * burst of jobs cannot take every execution the ingress needs within Slack's 3 s. @default 5
   */
  workerMaxConcurrency: z._default(z.number().check(z.int(), z.gte(2), z.lte(1000)), 5),
  /**
   * Name of the DynamoDB table. A fixed name makes CloudFormation refuse any change that would replace
   * the table, instead of building a new empty one and orphaning the retained old one.
   * @default "<stackName>-data"
   */
  tableName: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be a DynamoDB table name'))),
  /** An email address subscribed to the alarm topic (confirm the subscription mail). */
  alarmEmail: z.optional(z.string().check(z.email())),
  /**
   * Also deliver alarms to a Slack channel through AWS Chatbot. Authorise the workspace once in the
   * AWS Chatbot console first; ids are `T…` (workspace) and `C…` (channel).
   */
  alarmSlack: z.optional(
    z.object({
      workspaceId: z.string().check(z.regex(/^[A-Z0-9]{9,11}$/, 'must be a Slack workspace id (T…)')),
      channelId: z.string().check(z.regex(/^[A-Z0-9]{9,11}$/, 'must be a Slack channel id (C…)')),
    }),
  ),
  /** Tags put on every resource. */
  tags: z._default(z.record(z.string(), z.string()), {}),
});

/** Validated deployment settings. */
export type DeployConfig = z.infer<typeof deploySchema>;

/** Everything the stack needs, resolved from the operator's config file. */
export interface StackConfig {
  /** Absolute path of the file it came from (for messages). */
  file: string;
  /** The app config with every secret name filled in: shipped to the functions as JSON. */
  app: AppConfig;
  deploy: DeployConfig;
  /** Secret names the stack creates. */
  secrets: { slack: string; fingerprintKey: string; connections: ConnectionSecret[] };
}

/** One provider connection and the secret holding its credentials. */
export interface ConnectionSecret {
  provider: string;
  connection: string;
  secretName: string;
}

/** Where the config file is: cdk context `config`, then env TOKENOPS_CONFIG_FILE, then the default. */
export function configPathFrom(context: unknown, env: NodeJS.ProcessEnv = process.env): string {
  if (typeof context === 'string' && context.length > 0) return context;
  return env.TOKENOPS_CONFIG_FILE || DEFAULT_CONFIG_FILE;
}

/** Reads, validates and resolves the operator's config file; throws a `config` error naming the field. */
export function loadStackConfig(path: string): StackConfig {
  const file = resolve(path);
  if (!existsSync(file)) {
    throw new TokenOpsError(
      'config',
      `Config file ${file} not found. Copy tokenops.config.example.yaml to ${DEFAULT_CONFIG_FILE} and edit it, ` +
        'or point to another file with `-c config=PATH` (or TOKENOPS_CONFIG_FILE).',
    );
  }
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new TokenOpsError('config', `Config file ${file} is not valid YAML: ${(e as Error).message}`, { cause: e });
  }
  return resolveStackConfig(raw, file);
}

/** Validates an already parsed config document (the YAML's content) and resolves it for the stack. */
export function resolveStackConfig(raw: unknown, file = '(inline)'): StackConfig {
  const { aws, ...rest } = isRecord(raw) ? raw : { aws: undefined };
  const deploy = parseOrThrow(deploySchema, aws ?? {}, `The aws section of ${file}`);
  const parsed = parseOrThrow(appConfigSchema, isRecord(raw) ? rest : raw, `Config file ${file}`);
  rejectInlineSecrets(parsed, file);
  const app = withSecretNames(parsed);
  const secrets = secretNamesOf(app);
  rejectSecretNameClashes(secrets, file);
  return { file, app, deploy, secrets };
}

/** Fails when the config holds a secret value: on AWS every secret lives in Secrets Manager. */
function rejectInlineSecrets(cfg: AppConfig, file: string): void {
  const found: string[] = [];
  for (const field of ['signingSecret', 'botToken', 'appToken'] as const) {
    if (cfg.slack[field] !== undefined) found.push(`slack.${field}`);
  }
  if (cfg.fingerprintKey !== undefined) found.push('fingerprintKey');
  cfg.connections.forEach((c, i) => {
    if (c.credentials !== undefined) found.push(`connections.${i}.credentials (${c.provider}:${c.name})`);
  });
  if (found.length === 0) return;
  throw new TokenOpsError(
    'config',
    `Config file ${file} holds secret values, which must not be deployed:\n` +
      found
        .map((f) => `  - ${f}: remove it and store the value in Secrets Manager (see README.md, "Filling the secrets")`)
        .join('\n'),
  );
}

/** Fills in the default secret names, so the functions and the stack agree on them. */
function withSecretNames(cfg: AppConfig): AppConfig {
  return {
    ...cfg,
    slack: { ...cfg.slack, secretName: cfg.slack.secretName ?? DEFAULT_SLACK_SECRET },
    fingerprintKeySecret: cfg.fingerprintKeySecret ?? DEFAULT_FINGERPRINT_SECRET,
    connections: cfg.connections.map((c) => ({
      ...c,
      credentialsSecret: c.credentialsSecret ?? `tokenops/${c.provider}/${c.name}`,
    })),
  };
}

function secretNamesOf(app: AppConfig): StackConfig['secrets'] {
  return {
    slack: app.slack.secretName ?? DEFAULT_SLACK_SECRET,
    fingerprintKey: app.fingerprintKeySecret ?? DEFAULT_FINGERPRINT_SECRET,
    connections: app.connections.map((c) => ({
      provider: c.provider,
      connection: c.name,
      secretName: c.credentialsSecret ?? `tokenops/${c.provider}/${c.name}`,
    })),
  };
}

/**
 * Secret names must be valid, and unshared: two connections (or a connection and Slack) sharing a
 * secret would hand one's credentials to the other.
 */
function rejectSecretNameClashes(secrets: StackConfig['secrets'], file: string): void {
  const owners = new Map<string, string[]>();
  const add = (name: string, owner: string) => owners.set(name, [...(owners.get(name) ?? []), owner]);
  add(secrets.slack, 'slack.secretName');
  add(secrets.fingerprintKey, 'fingerprintKeySecret');
  secrets.connections.forEach((c, i) => add(c.secretName, `connections.${i}.credentialsSecret`));
  const problems: string[] = [];
  for (const [name, who] of owners) {
    if (!SECRET_NAME.test(name))
      problems.push(`  - ${who.join(', ')}: must be a Secrets Manager name (A-Z a-z 0-9 /_+=.@-)`);
    if (who.length > 1) problems.push(`  - ${who.join(', ')}: share the secret ${name}; give each its own`);
  }
  const seen = new Set<string>();
  for (const c of secrets.connections) {
    const key = `${c.provider}:${c.connection}`;
    if (seen.has(key)) problems.push(`  - connections: ${key} is defined twice`);
    seen.add(key);
  }
  if (problems.length > 0) {
    throw new TokenOpsError('config', `Config file ${file} is invalid:\n${problems.join('\n')}`);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
