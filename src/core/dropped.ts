import type { Log } from './ports.js';

/**
 * A `.catch` handler for a failure that must not stop the work around it (a best-effort write, a
 * notice): it logs what was dropped and resolves to undefined. Only the error's name and the
 * correlation id are logged, never its message: a provider's or Slack's text may quote a secret.
 */
export function dropped(log: Log, what: string, correlationId?: string): (err: unknown) => undefined {
  return (err: unknown) => {
    const error = err instanceof Error ? err.name : typeof err;
    log.warn(`${what} failed; carried on without it`, { error, ...(correlationId ? { correlationId } : {}) });
    return undefined;
  };
}

/** A log that writes nowhere (tests and callers that have no log). */
export const SILENT_LOG: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };
