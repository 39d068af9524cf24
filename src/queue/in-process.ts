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
}

/**
 * The local and test implementation of the job queue: same port as SQS, same JSON bodies (so tests
 * can check that no secret is ever queued), delivery on the event loop, retries and a dead-letter list.
 */
export class InProcessQueue implements JobQueue {
  /** Every message body ever sent, as SQS would have stored it. */
  readonly bodies: string[] = [];
  /** Jobs that failed `maxReceives` times. */
  readonly deadLetters: Job[] = [];
  #consumer: JobConsumer | undefined;
  #pending = 0;
  #idle: (() => void)[] = [];
  readonly #o: Required<InProcessQueueOptions>;

  constructor(options: InProcessQueueOptions = {}) {
    this.#o = { delayScale: 1, maxReceives: 5, retryDelayMs: 1000, ...options };
  }

  /** Connects the worker. Jobs sent before this wait until it is set. */
  consume(consumer: JobConsumer): void {
    this.#consumer = consumer;
  }

  async send(job: Job, options: { delaySeconds?: number } = {}): Promise<void> {
    const body = JSON.stringify(job);
    if (body.length > 256 * 1024) throw new Error('job too large for SQS');
    this.bodies.push(body);
    this.#schedule(body, (options.delaySeconds ?? 0) * 1000 * this.#o.delayScale, 1);
  }

  /** Resolves when no job is queued or running. */
  async drain(): Promise<void> {
    if (this.#pending === 0) return;
    await new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  #schedule(body: string, delayMs: number, receive: number): void {
    this.#pending++;
    setTimeout(() => void this.#deliver(body, receive), delayMs);
  }

  async #deliver(body: string, receive: number): Promise<void> {
    const job = JSON.parse(body) as Job;
    try {
      if (!this.#consumer) throw new Error('no consumer yet');
      await this.#consumer(job);
    } catch {
      if (receive >= this.#o.maxReceives) this.deadLetters.push(job);
      else this.#schedule(body, this.#o.retryDelayMs * this.#o.delayScale, receive + 1);
    } finally {
      this.#pending--;
      if (this.#pending === 0) for (const resolve of this.#idle.splice(0)) resolve();
    }
  }
}
