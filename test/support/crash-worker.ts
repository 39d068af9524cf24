// A worker as its own process, for the crash test: the in-process queue (journaled in a folder) and
// the job runner, over the store, simulators and Slack stand-in its parent runs. The parent kills it
// with SIGKILL mid-job and starts it again, as a crashed `npm start` or Lambda worker would be.
import type { AppConfig } from '../../src/config/schema.js';
import { credentialResolver } from '../../src/config/load.js';
import { LOCAL } from '../../src/local/demo.js';
import { InProcessQueue } from '../../src/queue/in-process.js';
import { dynamoStores } from '../../src/store/dynamo-store.js';
import { documentClient } from '../../src/store/table.js';
import { composeWorker } from '../../src/worker/compose.js';

interface ChildArgs {
  config: AppConfig;
  endpoint: string;
  tableName: string;
  queueDir: string;
}

const args = JSON.parse(process.env['CRASH_WORKER_ARGS'] ?? '{}') as ChildArgs;
const line = (level: string) => (m: string, e?: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ level, m, ...e })}\n`);
const log = { info: line('info'), warn: line('warn'), error: line('error') };
const db = documentClient({ tableName: args.tableName, endpoint: args.endpoint });
const queue = new InProcessQueue({ journalDir: args.queueDir, retryDelayMs: 100 });
const { runner } = composeWorker({
  config: args.config,
  slack: { signingSecret: LOCAL.signingSecret, botToken: LOCAL.botToken },
  fingerprintKey: LOCAL.fingerprintKey,
  stores: dynamoStores(db, args.tableName),
  queue,
  resolveCredentials: credentialResolver(),
  log,
});
queue.consume(async (job, { recovered }) => {
  log.info('job start', { jobId: job.id, recovered });
  await runner.run(job, Date.now() + 40_000, { previousRunDied: recovered });
  log.info('job end', { jobId: job.id });
});
log.info('worker ready');
