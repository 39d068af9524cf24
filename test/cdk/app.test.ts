import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { fixtureDoc } from './fixtures/synth.js';

// Synthesis (esbuild, cdk-nag, a tsx child process) runs on a shared machine: give it minutes, not 30 s.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

// cdk/app.ts as the CDK CLI runs it (`npx tsx cdk/app.ts`, context in CDK_CONTEXT_JSON), in a clean
// environment: no AWS credentials, no default account or region.
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'tokenops-cdk-app-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function runApp(context: Record<string, unknown>) {
  const env: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'NODE_OPTIONS']) if (process.env[k]) env[k] = process.env[k];
  Object.assign(env, {
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_SESSION_TOKEN: '',
    CDK_CONTEXT_JSON: JSON.stringify(context),
    CDK_OUTDIR: join(work, `out-${Math.random().toString(36).slice(2)}`),
  });
  const r = spawnSync(join(REPO, 'node_modules', '.bin', 'tsx'), ['cdk/app.ts'], { cwd: REPO, env, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr, outdir: env.CDK_OUTDIR! };
}

const handlersExist = ['ingress', 'worker', 'schedule'].every((h) => existsSync(join(REPO, 'src/handlers', `${h}.ts`)));

describe('cdk app', () => {
  it('refuses a config holding a secret value before building anything, naming the field', () => {
    const doc = fixtureDoc() as { slack: Record<string, unknown> };
    doc.slack.botToken = 'xoxb-canary-4Yt8Qm';
    const file = join(work, 'leaky.yaml');
    writeFileSync(file, stringify(doc));
    const r = runApp({ config: file });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('slack.botToken');
    expect(r.stderr).not.toContain('canary-4Yt8Qm');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('says how to start when the config file is missing', () => {
    const r = runApp({ config: join(work, 'missing.yaml') });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/tokenops\.config\.example\.yaml/);
  });

  it.skipIf(!handlersExist)('synthesises the example config with no AWS credentials, cdk-nag included', () => {
    const r = runApp({ config: 'tokenops.config.example.yaml', 'aws:cdk:bundling-stacks': [] });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.status).toBe(0);
    const template = JSON.parse(readFileSync(join(r.outdir, 'TokenOps.template.json'), 'utf8'));
    expect(Object.keys(template.Outputs)).toContain('RequestUrl');
  });
});
