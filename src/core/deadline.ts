import { AsyncLocalStorage } from 'node:async_hooks';

// The time budget of the job being run, carried with its async context (like a Go context's
// deadline): the provider HTTP client reads it to decide whether a Retry-After wait still fits,
// without every use case and adapter passing it along.

const current = new AsyncLocalStorage<number>();

/** Runs `fn` with a deadline (epoch ms) that everything it awaits can read. */
export function withDeadline<T>(deadline: number, fn: () => Promise<T>): Promise<T> {
  return current.run(deadline, fn);
}

/** Milliseconds left before the current job's deadline, or undefined outside a job. */
export function remainingMs(now: number = Date.now()): number | undefined {
  const deadline = current.getStore();
  return deadline === undefined ? undefined : deadline - now;
}
