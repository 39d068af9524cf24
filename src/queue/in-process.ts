import type { Job, JobQueue } from '../commands/job.js';

/** Runs one job; throws to have it delivered again (like an SQS visibility timeout). */
export type JobConsumer = (job: Job) => Promise<void>;

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
}

interface Delivery {
  body: string;
  receive: number;
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
    this.#o = { delayScale: 1, maxReceives: 5, retryDelayMs: 1000, concurrency: 8, ...options };
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
    this.#schedule({ body, receive: 1 }, (options.delaySeconds ?? 0) * 1000 * this.#o.delayScale);
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
      await (this.#consumer as JobConsumer)(job);
    } catch {
      if (d.receive >= this.#o.maxReceives) this.deadLetters.push(job);
      else this.#schedule({ body: d.body, receive: d.receive + 1 }, this.#o.retryDelayMs * this.#o.delayScale);
    }
  }

  #settled(): void {
    this.#pending--;
    if (this.#pending === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }
}
