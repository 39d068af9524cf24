import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deploySchema } from '../../cdk/stack-config.js';

// The operator's guide is a procedure people follow on a fresh account: its order and its promises
// are checked here against what the code does, so a reordering or a changed default cannot drift.
const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
const guide = README.slice(README.indexOf("## Deploying on AWS (operator's guide)"));
const section = (heading: string) => {
  const start = guide.indexOf(`\n### ${heading}`);
  expect(start, heading).toBeGreaterThan(0);
  const end = guide.indexOf('\n### ', start + 1);
  return guide.slice(start, end === -1 ? undefined : end);
};
const STEPS = [
  '1. Check the tools',
  '2. Write the config and policy',
  '3. Bootstrap the account and region',
  '4. Deploy',
  '5. Filling the secrets',
  '6. Install the Slack app',
  '7. Verify',
];

describe("operator's guide", () => {
  it('lists the steps in an order that works on a fresh account, each with its expected output', () => {
    const at = STEPS.map((s) => guide.indexOf(`\n### ${s}`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    for (const s of STEPS) expect(section(s), s).toMatch(/Expected/);
  });

  it('writes the config before bootstrap, since cdk bootstrap runs the app (which needs the config)', () => {
    const cp = guide.indexOf('cp tokenops.config.example.yaml tokenops.config.yaml');
    const bootstrap = guide.indexOf('npx cdk bootstrap');
    const deploy = guide.indexOf('npx cdk deploy --no-notices');
    expect(cp).toBeGreaterThan(0);
    expect(cp).toBeLessThan(bootstrap);
    expect(bootstrap).toBeLessThan(deploy);
    // No step before the config runs the CDK app (the overview list above the steps only names them).
    expect(guide.slice(guide.indexOf('\n### 1. Check the tools'), cp)).not.toMatch(/npx cdk (bootstrap|deploy|synth)/);
  });

  it('states the concurrency default the schema really has: nothing reserved on a quota of 10', () => {
    const defaults = deploySchema.parse({});
    expect(defaults.reservedConcurrency).toBe(false);
    expect(section('2. Write the config and policy')).toMatch(/By default nothing is reserved/);
    expect(section('2. Write the config and policy')).toContain(`(default ${defaults.workerMaxConcurrency})`);
  });

  it('says a credential change needs no deploy, names the cache bound and how to force it', () => {
    const s = section('5. Filling the secrets');
    expect(s).toMatch(/needs no deploy/);
    expect(s).toMatch(/at most \*\*5 minutes\*\*/);
    expect(s).toContain('aws lambda update-function-configuration');
    expect(s).not.toMatch(/`npx cdk deploy` after any change/);
  });

  it('describes data safety as CloudFormation behaves: a fixed table name makes replacement fail', () => {
    expect(guide).toMatch(/CloudFormation cannot replace a resource with a\s+fixed name/);
    expect(guide).not.toMatch(/a change that would replace it fails instead/);
    expect(guide).toMatch(/\*\*Backups\.\*\*/);
  });

  it('proves alarm delivery with set-alarm-state and has a troubleshooting row for each new-account failure', () => {
    expect(section('7. Verify')).toContain('aws cloudwatch set-alarm-state');
    const trouble = section('When something fails');
    for (const symptom of [
      'Config file …/tokenops.config.yaml not found',
      'Has the environment been bootstrapped?',
      "decreases account's UnreservedConcurrentExecution below its minimum",
      'already scheduled for deletion',
      'TokenOps-data already exists',
      'custom-named resource requires replacing itself',
      'PendingConfirmation',
      'not authorized to perform: SNS:Publish',
      'Maximum schema version supported',
      'operation_timeout',
    ]) {
      expect(trouble, symptom).toContain(symptom);
    }
  });
});
