// Live mode against the simulators on loopback: the check that live mode works without a real account.
// Starts the five simulators, hands each to the contract suite through `TOKENOPS_LIVE_<PROVIDER>` exactly
// as a real account would be, runs the suite, then lists every provider for tokens the run left behind.
//   npx tsx scripts/live-loopback.ts        (npm run test:live-loopback)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startCobaltSimulator } from '../src/providers/cobalt/simulator.js';
import { startMailtrapSimulator } from '../src/providers/mailtrap/simulator.js';
import { startTritonSimulator } from '../src/providers/triton/simulator.js';
import { startVaultoroSimulator } from '../src/providers/vaultoro/simulator.js';
import { startVectorchartsSimulator } from '../src/providers/vectorcharts/simulator.js';
import { createAdapter } from '../src/providers/registry.js';
import { connectionSchema } from '../src/providers/config.js';

const RUN_ID = `loop${randomBytes(3).toString('hex')}`;
const say = (text: string): boolean => process.stderr.write(`${text}\n`);

const [vaultoro, vectorcharts, triton, mailtrap, cobalt] = await Promise.all([
  startVaultoroSimulator(),
  startVectorchartsSimulator({ fingerprintKey: 'live-loopback' }),
  startTritonSimulator(),
  startMailtrapSimulator(),
  // Demo tokens so Cobalt's list spans pages; the rate limits are the documented ones.
  startCobaltSimulator({ demo: true }),
]);

// Hand-made tokens, as a person would make them in the Vaultoro dashboard and the Cobalt web app.
const vaultoroDisposable = Array.from({ length: 8 }, () => vaultoro.seedToken('')).map((t) => ({
  referenceId: t.id,
  token: t.secret,
}));
const cobaltDisposable = [{ id: cobalt.seedToken('tokenops-live-disposable').id }];

const configs: Record<string, Record<string, unknown>> = {
  VAULTORO: { baseUrl: vaultoro.url, ...vaultoro.connectionConfig(), live: { disposable: vaultoroDisposable } },
  VECTORCHARTS: {
    baseUrl: vectorcharts.url,
    ...vectorcharts.connectionConfig(),
    live: { probeUrl: `${new URL(vectorcharts.url).origin}/core/v1/styles` },
  },
  TRITON: { baseUrl: triton.url, ...triton.connectionConfig(), live: { rpcUrl: `${triton.url}/rpc` } },
  MAILTRAP: { baseUrl: mailtrap.url, ...mailtrap.connectionConfig() },
  // Pages of 5: Cobalt's documented 100 GETs a minute cannot afford a 2-token page walk on every list.
  COBALT: { baseUrl: cobalt.url, ...cobalt.connectionConfig(), pageSize: 5, live: { disposable: cobaltDisposable } },
};
const env: NodeJS.ProcessEnv = { ...process.env, TOKENOPS_LIVE_RUN_ID: RUN_ID };
for (const [p, c] of Object.entries(configs)) env[`TOKENOPS_LIVE_${p}`] = JSON.stringify(c);

say(`live mode on loopback, run ${RUN_ID}: every TOKENOPS_LIVE_* points at a simulator`);
// Asynchronously: the simulators answer from this process's event loop while the suite runs.
const child = spawn('npx', ['vitest', 'run', 'test/contract/contract.test.ts'], { env, stdio: 'inherit' });
const status = await new Promise<number | null>((resolve) => child.on('close', resolve));

// Anything named for this run that still works is a leftover (the suite's own report lists Vaultoro's deletions).
let leftovers = 0;
for (const [p, c] of Object.entries(configs)) {
  const { live: _live, ...fields } = c;
  const conn = connectionSchema.parse({ provider: p.toLowerCase(), name: 'check', ...fields });
  const adapter = createAdapter(conn, { fingerprintKey: 'live-loopback' });
  const listed = await adapter.list();
  const left = listed.filter((t) => t.active && t.name.startsWith(`tokenops-live-${RUN_ID}`));
  for (const t of left) say(`LEFT BEHIND ${t.ref} ${t.name}`);
  leftovers += left.length;
}
await Promise.all([vaultoro, vectorcharts, triton, mailtrap, cobalt].map((s) => s.close()));
say(leftovers === 0 ? 'nothing left behind' : `${leftovers} token(s) left behind`);
process.exit(status !== 0 || leftovers > 0 ? 1 : 0);
