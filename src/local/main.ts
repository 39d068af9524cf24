import './quiet-warnings.js';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { TokenOpsError } from '../core/errors.js';
import { DEMO_USERS, LOCAL } from './demo.js';
import { startLocalStack } from './stack.js';
import { startWithConfig } from './with-config.js';
import type { Log } from '../core/ports.js';

const HELP = `Usage: npm start [-- options]

  (no options)        the whole bot locally: Slack stand-in + console, provider simulators,
                      embedded DynamoDB (dynalite, data in .local/dynalite), queue and worker
  --memory            keep the local store in memory instead of .local/dynalite
  --config FILE       use your config file: real providers; Socket Mode to real Slack when it
                      has slack.appToken, else an HTTP request URL on PORT (also TOKENOPS_CONFIG_FILE)
  --quiet             do not print job log lines
  PORT=3000           the port of the console (or of the request URL with --config)
`;

/** Prints one log line per job event, without the event bodies (they never hold secrets, but are long). */
function consoleLog(quiet: boolean): Log {
  const line = (level: string) => (m: string, extra?: Record<string, unknown>) => {
    if (!quiet || level !== 'info')
      console.log(
        `[${new Date().toISOString().slice(11, 19)}] ${level} ${m}${extra ? ` ${JSON.stringify(extra)}` : ''}`,
      );
  };
  return { info: line('info'), warn: line('warn'), error: line('error') };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      memory: { type: 'boolean' },
      config: { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void console.log(HELP);
  const port = Number(process.env['PORT'] ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new TokenOpsError('config', `PORT must be a port number, not "${process.env['PORT']}".`);
  const log = consoleLog(values.quiet ?? false);
  const configFile = values.config ?? process.env['TOKENOPS_CONFIG_FILE'];
  if (configFile) {
    const dataDir = values.memory ? undefined : resolve('.local/dynalite-config');
    const running = await startWithConfig(resolve(configFile), { port, log, dataDir });
    process.once('SIGINT', () => void running.close().then(() => process.exit(0)));
    return;
  }
  const dataDir = values.memory ? undefined : resolve('.local/dynalite');
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const stack = await startLocalStack({ port, dataDir, log });
  const users = DEMO_USERS.map((u) => `    ${u.name.padEnd(7)} ${u.id.padEnd(11)} ${u.label ?? ''}`).join('\n');
  const sims = Object.entries(stack.sims)
    .map(([k, s]) => `    ${k.padEnd(21)} ${s.url}`)
    .join('\n');
  console.log(`
tokenops is running locally.

  Console (a small Slack):  ${stack.standin.url}/      ← open this, type /token list triton
  Bot request URL:          ${stack.requestUrl}   (the Lambda ingress, served over HTTP)
  Signing secret:           ${LOCAL.signingSecret}
  Slack Web API stand-in:   ${stack.standin.apiUrl}   (GET ${stack.standin.url}/_standin/messages)
  Store (dynalite):         ${stack.dynamo.endpoint}   ${dataDir ? `data in ${dataDir}` : 'in memory'}

  Demo users (switch in the console's top bar):
${users}

  Provider simulators:
${sims}

Stop with Ctrl+C.
`);
  const stop = async (): Promise<void> => {
    console.log('\nStopping…');
    await stack.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  if (err instanceof TokenOpsError) console.error(`tokenops could not start: ${err.message}`);
  else if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
    console.error(`tokenops could not start: port ${process.env['PORT'] ?? 3000} is in use; set PORT to another one.`);
  else console.error('tokenops could not start:', err);
  process.exit(1);
});
