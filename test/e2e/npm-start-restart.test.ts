import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// `npm start` (src/local/main.ts) as a real process, killed right after Slack got its ack and
// started again: the job its crash left in .local/queue is delivered again, and the person sees an
// answer (or an "interrupted" notice) in the restarted console: the command's response_url died with
// the old process, so the answer comes as an ephemeral message in the channel where they asked.

const REPO = join(import.meta.dirname, '..', '..');
const MAIN = join(REPO, 'src', 'local', 'main.ts');
const TSX = pathToFileURL(join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

interface Running {
  child: ChildProcess;
  url: string;
  out: string[];
}

async function start(cwd: string): Promise<Running> {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, '--quiet'], {
    cwd,
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up:\n${out.join('')}`)), 60_000);
    const seen = (d: Buffer): void => {
      out.push(d.toString());
      const m = /Console \(a small Slack\):\s+(http:\/\/\S+?)\/\s/.exec(out.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    };
    child.stdout?.on('data', seen);
    child.stderr?.on('data', (d: Buffer) => out.push(d.toString()));
    child.once('exit', () => reject(new Error(`npm start exited:\n${out.join('')}`)));
  });
  return { child, url, out };
}

const killed = (c: ChildProcess) =>
  new Promise<void>((r) => {
    if (c.exitCode !== null || c.signalCode !== null) return r();
    c.once('exit', () => r());
    c.kill('SIGKILL');
  });

const post = async (url: string, body: unknown) =>
  (
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  ).json();

describe('npm start restarted after a crash that followed the ack', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'tokenops-npm-start-'));
  const running: ChildProcess[] = [];
  afterAll(async () => {
    await Promise.all(running.map(killed));
    rmSync(cwd, { recursive: true, force: true });
  });

  it('answers the acked command in the restarted console', async () => {
    const queueDir = join(cwd, '.local', 'queue');
    // Kill right after the ack; if the job still managed to finish first, try again (a few times).
    for (let attempt = 0; ; attempt++) {
      const first = await start(cwd);
      running.push(first.child);
      const ack = await post(`${first.url}/_standin/command`, { user: 'U0SAM', text: 'list' });
      await killed(first.child);
      expect(JSON.stringify(ack)).toMatch(/Working on it/);
      if (readdirSync(queueDir).some((f) => f.endsWith('.json'))) break;
      if (attempt >= 3) throw new Error('the job always finished before the kill');
    }
    const second = await start(cwd);
    running.push(second.child);
    const deadline = Date.now() + 60_000;
    let dm = '';
    while (!dm && Date.now() < deadline) {
      const messages = (await (await fetch(`${second.url}/_standin/messages`)).json()) as {
        channel: string;
        ephemeralTo?: string;
        text?: string;
        blocks?: unknown;
      }[];
      // The dead response_url cannot carry it: the worker falls back to an ephemeral in the channel.
      dm = messages
        .filter((m) => m.ephemeralTo === 'U0SAM' || m.channel.startsWith('D'))
        .map((m) => `${m.text ?? ''} ${JSON.stringify(m.blocks ?? '')}`)
        .join('\n');
      if (!dm) await new Promise((r) => setTimeout(r, 200));
    }
    expect(dm, second.out.join('')).toMatch(/triton|Triton|interrupted/);
  }, 240_000);
});
