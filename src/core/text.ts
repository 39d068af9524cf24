// Provider text is untrusted: a token name set at the provider may carry controls that change how it reads.

/**
 * C0/C1 controls (NUL included) and the Unicode marks that reorder or hide text: bidi embeddings and
 * overrides (U+202A–U+202E, the `evil‮gnp.exe` trick), isolates (U+2066–U+2069), LRM/RLM/ALM and the
 * zero-width joiners and spaces. Tab and line feed are left to the caller.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** The replacement shown instead of an unsafe character: visible, so nobody is misled about what is there. */
export const REPLACEMENT = '\ufffd';

/** Replaces every control or bidi/zero-width mark with U+FFFD, so text reads as it is stored. */
export function printable(text: string): string {
  return String(text).replace(UNSAFE, REPLACEMENT);
}

/** A provider-side token name fit for display: one line, unsafe marks made visible. */
export function providerName(name: string | null | undefined): string {
  return printable((name ?? '').replace(/[\t\n]+/g, ' '));
}
