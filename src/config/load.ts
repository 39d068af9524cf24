import { readFile } from 'node:fs/promises';
import { TokenOpsError } from '../core/errors.js';
import { parseOrThrow } from '../core/validation.js';
import type { ConnectionConfig } from '../providers/config.js';
import { appConfigSchema, type AppConfig } from './schema.js';

/**
 * Reads a config file (YAML or JSON) and validates it; errors name the file and every bad field.
 * A `.json` file (what the Lambda bundles ship) is parsed with JSON.parse, so the YAML parser is
 * loaded only for YAML and stays out of the Lambda bundles.
 */
export async function loadConfigFile(path: string): Promise<AppConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new TokenOpsError(
      'config',
      `Cannot read the config file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}.`,
    );
  }
  return parseConfigText(text, path);
}

/** Parses and validates config text: JSON for a `.json` source, else YAML (a superset of JSON). */
export async function parseConfigText(text: string, source: string): Promise<AppConfig> {
  const json = source.toLowerCase().endsWith('.json');
  // The Lambda bundles leave 'yaml' external (cdk/esbuild-options.ts): they only ever read JSON.
  const parse: (t: string) => unknown = json ? JSON.parse : (await import('yaml')).parse;
  let data: unknown;
  try {
    data = parse(text);
  } catch (err) {
    const kind = json ? 'JSON' : 'YAML/JSON';
    throw new TokenOpsError('config', `${source} is not valid ${kind}: ${(err as Error).message.split('\n')[0]}`);
  }
  return parseOrThrow(appConfigSchema, data, `The config file ${source}`);
}

/** Reads named secrets (Secrets Manager on AWS). Values are JSON objects of strings, or plain strings. */
export interface SecretSource {
  json(name: string): Promise<Record<string, unknown>>;
  text(name: string): Promise<string>;
}

/** Secret values the Slack layer needs. */
export interface SlackSecrets {
  signingSecret: string;
  botToken: string;
  appToken?: string | undefined;
}

/** The Slack secrets: from the named secret when set, else inline. Fails with a message naming the field. */
export async function slackSecrets(config: AppConfig, source?: SecretSource): Promise<SlackSecrets> {
  const s = config.slack;
  const stored = s.secretName && source ? await source.json(s.secretName) : {};
  const pick = (key: 'signingSecret' | 'botToken' | 'appToken'): string | undefined => {
    const v = stored[key] ?? s[key];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const signingSecret = pick('signingSecret');
  const botToken = pick('botToken');
  const where = s.secretName ? `the secret ${s.secretName}` : 'the config';
  if (!signingSecret) throw new TokenOpsError('config', `slack.signingSecret is missing (in ${where}).`);
  if (!botToken) throw new TokenOpsError('config', `slack.botToken is missing (in ${where}).`);
  return { signingSecret, botToken, appToken: pick('appToken') };
}

/** The fingerprint key: from the named secret when set, else inline. */
export async function fingerprintKey(config: AppConfig, source?: SecretSource): Promise<string> {
  const key =
    config.fingerprintKeySecret && source ? await source.text(config.fingerprintKeySecret) : config.fingerprintKey;
  if (!key || key.length < 16)
    throw new TokenOpsError('config', 'fingerprintKey is missing or shorter than 16 characters.');
  return key;
}

/** The leak intake's signing secret: from the named secret when set, else inline. */
export async function leakSigningSecret(config: AppConfig, source?: SecretSource): Promise<string> {
  const i = config.incident;
  const secret = i.leakSigningSecretName && source ? await source.text(i.leakSigningSecretName) : i.leakSigningSecret;
  if (!secret || secret.length < 16)
    throw new TokenOpsError(
      'config',
      'incident.leakSigningSecret (or leakSigningSecretName) is missing or shorter than 16 characters: the leak intake needs it.',
    );
  return secret;
}

/** Resolves a connection's credentials from its named secret (when it has one). */
export function credentialResolver(source?: SecretSource): (conn: ConnectionConfig) => Promise<ConnectionConfig> {
  return async (conn) => {
    if (!conn.credentialsSecret) {
      if (!conn.credentials)
        throw new TokenOpsError(
          'config',
          `connections ${conn.provider}:${conn.name} has neither credentials nor credentialsSecret.`,
        );
      return conn;
    }
    if (!source)
      throw new TokenOpsError(
        'config',
        `connections ${conn.provider}:${conn.name}.credentialsSecret needs a secret store.`,
      );
    const credentials = await source.json(conn.credentialsSecret);
    return { ...conn, credentials } as ConnectionConfig;
  };
}
