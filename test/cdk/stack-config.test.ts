import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configPathFrom, loadStackConfig, resolveStackConfig } from '../../cdk/stack-config.js';
import { FIXTURE_CONFIG, fixtureDoc } from './fixtures/synth.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CANARY = 'canary-Zq8xV1s7Kp0tW3n9';

/** The message of the error a config document is refused with. */
function refusal(doc: unknown): string {
  try {
    resolveStackConfig(doc, 'test.yaml');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the config was accepted');
}

describe('stack config', () => {
  it('accepts the example config shipped at the repo root, with default secret names filled in', () => {
    const cfg = loadStackConfig(join(REPO, 'tokenops.config.example.yaml'));
    expect(cfg.secrets.slack).toBe('tokenops/slack');
    expect(cfg.secrets.fingerprintKey).toBe('tokenops/fingerprint-key');
    expect(cfg.secrets.connections.map((c) => `${c.provider}:${c.connection}=${c.secretName}`)).toEqual([
      'vaultoro:main=tokenops/vaultoro/main',
      'vectorcharts:oem=tokenops/vectorcharts/oem',
      'triton:prod=tokenops/triton/prod',
      'triton:staging=tokenops/triton/staging',
      'mailtrap:main=tokenops/mailtrap/main',
      'cobalt:main=tokenops/cobalt/main',
    ]);
    expect(new Set(cfg.app.connections.map((c) => c.provider)).size).toBe(5);
    expect(cfg.app.connections.every((c) => c.credentialsSecret)).toBe(true);
    expect(cfg.deploy.stackName).toBe('TokenOps');
  });

  it('applies a documented default to every deployment setting when the aws section is absent', () => {
    const { aws: _aws, ...doc } = fixtureDoc();
    expect(resolveStackConfig(doc).deploy).toEqual({
      stackName: 'TokenOps',
      logLevel: 'INFO',
      logRetentionDays: 90,
      scheduleExpression: 'cron(0 8 * * ? *)',
      throttle: { rateLimit: 20, burstLimit: 40 },
      // Nothing reserved: a new account's concurrency quota of 10 cannot reserve any.
      reservedConcurrency: false,
      workerMaxConcurrency: 5,
      tags: {},
    });
  });

  it('keeps the aws section out of the config shipped to the functions', () => {
    const cfg = loadStackConfig(FIXTURE_CONFIG);
    expect(cfg.deploy.stackName).toBe('TokenOpsTest');
    expect((cfg.app as Record<string, unknown>).aws).toBeUndefined();
  });

  it('refuses every inline secret value, naming each field and never echoing the value', () => {
    const doc = fixtureDoc() as {
      slack: Record<string, unknown>;
      connections: Record<string, unknown>[];
      fingerprintKey?: string;
    };
    doc.slack.signingSecret = CANARY;
    doc.slack.botToken = `xoxb-${CANARY}`;
    doc.slack.appToken = `xapp-${CANARY}`;
    doc.fingerprintKey = `${CANARY}${CANARY}`;
    doc.connections[1]!.credentials = { token: CANARY };
    const message = refusal(doc);
    for (const field of [
      'slack.signingSecret',
      'slack.botToken',
      'slack.appToken',
      'fingerprintKey',
      'connections.1.credentials (triton:staging)',
    ]) {
      expect(message).toContain(field);
    }
    expect(message).not.toContain(CANARY);
  });

  it('names the wrong field when the app config is invalid', () => {
    const doc = fixtureDoc() as { slack: Record<string, unknown> };
    delete doc.slack.auditChannel;
    expect(refusal(doc)).toMatch(/slack\.auditChannel/);
  });

  it('names the wrong deployment setting', () => {
    const doc = fixtureDoc() as { aws: Record<string, unknown> };
    doc.aws.logRetentionDays = 42;
    doc.aws.reservedConcurrency = { ingress: 0, worker: 1, schedule: 1 };
    const message = refusal(doc);
    expect(message).toMatch(/aws section/);
    expect(message).toMatch(/logRetentionDays: must be one of/);
  });

  it('accepts reservedConcurrency: false for accounts that cannot reserve any', () => {
    const doc = fixtureDoc() as { aws: Record<string, unknown> };
    doc.aws.reservedConcurrency = false;
    expect(resolveStackConfig(doc).deploy.reservedConcurrency).toBe(false);
  });

  it('refuses two connections sharing a secret, or a connection defined twice', () => {
    const doc = fixtureDoc() as { connections: Record<string, unknown>[] };
    doc.connections[1]!.credentialsSecret = 'test/triton-prod-admin';
    expect(refusal(doc)).toMatch(
      /connections\.0\.credentialsSecret, connections\.1\.credentialsSecret: share the secret test\/triton-prod-admin/,
    );
    const twice = fixtureDoc() as { connections: Record<string, unknown>[] };
    twice.connections.push({ ...twice.connections[2]!, credentialsSecret: 'other' });
    expect(refusal(twice)).toMatch(/mailtrap:main is defined twice/);
  });

  it('refuses a secret name Secrets Manager would reject', () => {
    const doc = fixtureDoc() as { connections: Record<string, unknown>[] };
    doc.connections[0]!.credentialsSecret = 'has spaces!';
    expect(refusal(doc)).toMatch(/connections\.0\.credentialsSecret: must be a Secrets Manager name/);
  });

  it('explains how to create the file when it is missing', () => {
    expect(() => loadStackConfig(join(REPO, 'no-such.config.yaml'))).toThrow(/tokenops\.config\.example\.yaml/);
  });

  it('finds the config file from cdk context, then TOKENOPS_CONFIG_FILE, then the default', () => {
    expect(configPathFrom('ctx.yaml', { TOKENOPS_CONFIG_FILE: 'env.yaml' })).toBe('ctx.yaml');
    expect(configPathFrom(undefined, { TOKENOPS_CONFIG_FILE: 'env.yaml' })).toBe('env.yaml');
    expect(configPathFrom(undefined, {})).toBe('tokenops.config.yaml');
  });
});
