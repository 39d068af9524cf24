import { createHmac } from 'node:crypto';

const REDACTED = '[secret]';

/**
 * A token value. It prints as "[secret]" everywhere (String(), JSON, util.inspect, template
 * literals), so a secret that slips into a log line, an error or a store item is redacted by
 * construction. Only `reveal()` gives the value, and only the delivery step calls it.
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  /** The raw value. Call it only at the one place the secret is handed to its owner. */
  reveal(): string {
    return this.#value;
  }
  /** The last 4 characters, which are safe to show. */
  get last4(): string {
    return last4(this.#value);
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}

/** The last 4 characters of a value (the whole value if it is shorter). */
export function last4(value: string): string {
  return value.slice(-4);
}

/** HMAC-SHA-256 of a secret under the server key, as lowercase hex: a stable, non-reversible id. */
export function fingerprint(secret: string | Secret, key: string): string {
  const raw = typeof secret === 'string' ? secret : secret.reveal();
  return createHmac('sha256', key).update(raw, 'utf8').digest('hex');
}

/** The short form of a fingerprint that replies show and `find` matches on. */
export function shortFingerprint(fp: string): string {
  return fp.slice(0, 12);
}

/**
 * Replaces every occurrence of the given secrets in a text. A last line of defence for text that
 * mixes provider output with our own (error bodies), never the first one.
 */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of secrets) {
    if (s.length >= 6) out = out.split(s).join(REDACTED);
  }
  return out;
}
