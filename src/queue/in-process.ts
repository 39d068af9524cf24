import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Job, JobQueue } from '../commands/job.js';

/**
 * Runs one job; throws to have it delivered again (like an SQS visibility timeout). `recovered` is true
 * for a job the previous process had started when it stopped (a crash): its run died mid-way.
 */
export type JobConsumer = (job: Job, delivery: { recovered: boolean }) => Promise<void>;

/** Options of the in-process queue. */
export interface InProcessQueueOptions {
  /** Multiplies SQS-style delays (tests shrink them). @default 1 */
  delayScale?: number;
  /** Deliveries before a job goes to the dead-letter list, like an SQS redrive policy. @default 5 */
  maxReceives?: number;
  /** Wait before a failed job is delivered again, ms. @default 1000 */
  retryDelayMs?: number;
  /**
   * Jobs run at once, like the worker's concurrency on AWS. The ingress shares this process's event loop
   * locally: a thousand jobs started at once would hold every ack past Slack's 3 s. @default 8
   */
  concurrency?: number;
  /**
   * A folder where queued jobs are kept until they are done (one small JSON file each, no secret in
   * any), so a restart delivers what a crash left behind. @default none (memory only)
   */
  journalDir?: string;
}

interface Delivery {
  body: string;
  receive: number;
  /** Its journal file, when journaling. */
  file?: string;
  recovered?: boolean;
}

/**
 * The local and test implementation of the job queue: same port as SQS, same JSON bodies (so tests
 * can check that no secret is ever queued), delivery on the event loop with bounded concurrency,
 * retries and a dead-letter list. A job that throws, or whose consumer throws, never stops the queue.
 */
export class InProcessQueue implements JobQueue {
  /** Every message body ever sent, as SQS would have stored it. */
  readonly bodies: string[] = [];
  /** Jobs that failed `maxReceives` times. */
  readonly deadLetters: Job[] = [];
  #consumer: JobConsumer | undefined;
  #pending = 0;
  #running = 0;
  readonly #ready: Delivery[] = [];
  #idle: (() => void)[] = [];
  readonly #o: Required<InProcessQueueOptions>;

  constructor(options: InProcessQueueOptions = {}) {
    this.#o = { delayScale: 1, maxReceives: 5, retryDelayMs: 1000, concurrency: 8, journalDir: '', ...options };
    if (this.#o.journalDir) this.#recover(this.#o.journalDir);
  }

  /** Jobs the journal holds from an earlier process: delivered again, marked when they had started. */
  #recover(dir: string): void {
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort()) {
      const file = join(dir, name);
      try {
        const saved = JSON.parse(readFileSync(file, 'utf8')) as { body: string; receive: number; started?: boolean };
        this.#schedule({ body: saved.body, receive: saved.receive, file, recovered: !!saved.started }, 0);
      } catch {
        rmSync(file, { force: true }); // a torn write: the job never reached the queue
      }
    }
  }

  /** Writes (or rewrites) a delivery's journal entry. */
  #journal(d: Delivery, started: boolean): void {
    if (!this.#o.journalDir) return;
    d.file ??= join(this.#o.journalDir, `${Date.now()}-${randomBytes(6).toString('hex')}.json`);
    writeFileSync(d.file, JSON.stringify({ body: d.body, receive: d.receive, started }));
  }

  #forget(d: Delivery): void {
    if (d.file) rmSync(d.file, { force: true });
  }

  /** Connects the worker. Jobs sent before this wait until it is set. */
  consume(consumer: JobConsumer): void {
    this.#consumer = consumer;
    this.#pump();
  }

  async send(job: Job, options: { delaySeconds?: number } = {}): Promise<void> {
    const body = JSON.stringify(job);
    if (body.length > 256 * 1024) throw new Error('job too large for SQS');
    this.bodies.push(body);
    const d: Delivery = { body, receive: 1 };
    this.#journal(d, false);
    this.#schedule(d, (options.delaySeconds ?? 0) * 1000 * this.#o.delayScale);
  }

  /** Resolves when no job is queued or running. */
  async drain(): Promise<void> {
    if (this.#pending === 0) return;
    await new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  /** Jobs queued or running now. */
  get pending(): number {
    return this.#pending;
  }

  #schedule(d: Delivery, delayMs: number): void {
    this.#pending++;
    const ready = (): void => {
      this.#ready.push(d);
      this.#pump();
    };
    if (delayMs <= 0) queueMicrotask(ready);
    else setTimeout(ready, delayMs);
  }

  #pump(): void {
    while (this.#consumer && this.#running < this.#o.concurrency && this.#ready.length > 0) {
      const d = this.#ready.shift() as Delivery;
      this.#running++;
      void this.#deliver(d).finally(() => {
        this.#running--;
        this.#settled();
        this.#pump();
      });
    }
  }

  async #deliver(d: Delivery): Promise<void> {
    const job = JSON.parse(d.body) as Job;
    try {
      this.#journal(d, true);
      await (this.#consumer as JobConsumer)(job, { recovered: d.recovered ?? false });
      this.#forget(d);
    } catch {
      // Whatever the consumer threw, the queue goes on: the job comes back later or is dead-lettered.
      if (d.receive >= this.#o.maxReceives) {
        this.deadLetters.push(job);
        this.#forget(d);
      } else {
        const again: Delivery = { body: d.body, receive: d.receive + 1, ...(d.file ? { file: d.file } : {}) };
        this.#journal(again, false);
        this.#schedule(again, this.#o.retryDelayMs * this.#o.delayScale);
      }
    }
  }

  #settled(): void {
    this.#pending--;
    if (this.#pending === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }
}
