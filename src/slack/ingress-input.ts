import { TokenOpsError } from '../core/errors.js';

// What the ingress reads from a request beyond Bolt's typing: values tokenops put in buttons and
// modals come back from Slack as text, and a directory lookup can fail in three different ways.

/**
 * A directory lookup that threw: Slack's "no" (an unknown user) is a refusal, audited like one; Slack
 * not answering, or refusing tokenops itself, is an error whose message says what to do.
 */
export function lookupFailure(err: unknown): string | Error {
  if (err instanceof TokenOpsError && err.code === 'denied') return err.message;
  if (err instanceof TokenOpsError && (err.code === 'provider_unavailable' || err.code === 'config')) return err;
  return new Error('Slack could not confirm who you are; try again in a moment.');
}

/** A button's (or modal's) JSON value, or undefined when it is not the object tokenops put there. */
export function jsonObject(value: string | undefined): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(value ?? '');
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The create modal's private_metadata; anything else (or nothing) gives no channel and no response_url. */
export function modalMetadata(text: string | undefined): { channelId?: string; responseUrl?: string } {
  const v = jsonObject(text);
  return {
    ...(typeof v?.['channelId'] === 'string' ? { channelId: v['channelId'] } : {}),
    ...(typeof v?.['responseUrl'] === 'string' ? { responseUrl: v['responseUrl'] } : {}),
  };
}
