// What buttons and modals carry back to tokenops. Slack returns a button's `value` and a modal's
// `private_metadata` as given, but the request may be forged or the message old: every one is read
// through a schema, and junk becomes a clear answer instead of an exception.
import * as z from 'zod/mini';
import { TokenOpsError } from '../../core/errors.js';
import type { Ref } from '../../core/ref.js';
import { parseRef } from '../../providers/ref.js';

/** The answer to a click whose button carries data tokenops cannot read. */
export const BAD_BUTTON =
  'That button carries data tokenops cannot read (the message may be old or altered), so nothing was done. Type the command instead, e.g. `/token revoke <REF>`.';

/** The answer to a form whose hidden data tokenops cannot read (Slack shows at most 150 characters). */
export const BAD_FORM =
  'This form carries data tokenops cannot read (old or altered); nothing was done. Close it and start again.';

/** A button value or modal metadata that does not match its schema. */
export class BadValueError extends TokenOpsError {
  constructor(readonly what: string) {
    super('bad_command', `malformed ${what}`);
    this.name = 'BadValueError';
  }
}

const refValue = z.object({
  ref: z.string().check(z.minLength(3), z.maxLength(1000)),
  reason: z.optional(z.string().check(z.maxLength(1000))),
});
const textValue = z.object({ text: z.string().check(z.minLength(1), z.maxLength(2000)) });
const approvalId = z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,200}$/));
const createMeta = z.object({
  channelId: z.optional(z.string().check(z.regex(/^[CDG][A-Z0-9]{1,30}$|^$/))),
  responseUrl: z.optional(z.string().check(z.url(), z.maxLength(2000))),
});
const denyMeta = z.object({
  approvalId,
  card: z.optional(z.object({ channel: z.string().check(z.maxLength(40)), ts: z.string().check(z.maxLength(40)) })),
});

/** Parses JSON text through a schema; any failure is a `BadValueError` naming what was read. */
function read<T>(schema: z.ZodMiniType<T>, text: string | undefined, what: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text ?? '');
  } catch {
    throw new BadValueError(what);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new BadValueError(what);
  return parsed.data;
}

/** A Revoke/Rotate button's `{ref, reason?}`, the REF parsed. */
export function refButton(value: string | undefined): { ref: Ref; reason?: string | undefined } {
  const v = read(refValue, value, 'button value');
  try {
    return { ref: parseRef(v.ref), reason: v.reason };
  } catch {
    throw new BadValueError('button value');
  }
}

/** The "create another" button's command text. */
export function textButton(value: string | undefined): string {
  return read(textValue, value, 'button value').text;
}

/** An Approve/Deny button's approval id. */
export function approvalButton(value: string | undefined): string {
  const parsed = approvalId.safeParse(value);
  if (!parsed.success) throw new BadValueError('button value');
  return parsed.data;
}

/** The create form's hidden data: where the command was typed. Empty metadata is allowed (Home tab). */
export function createFormMeta(text: string | undefined): {
  channelId?: string | undefined;
  responseUrl?: string | undefined;
} {
  return text ? read(createMeta, text, 'form metadata') : {};
}

/** The deny-reason form's hidden data: the approval and the card to update. */
export function denyFormMeta(text: string | undefined): z.infer<typeof denyMeta> {
  return read(denyMeta, text, 'form metadata');
}
