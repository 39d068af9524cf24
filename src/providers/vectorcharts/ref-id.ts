import { fingerprint } from '../../core/secret.js';

// A Vector Charts token's id IS its secret, so a REF never carries it: it carries this keyed hash
// instead, and the adapter resolves the hash by listing. Kept light (no HTTP client): the ingress
// uses it to hash a pasted secret id before it reaches a reply, a job or the audit trail.

/** The shape of a Vector Charts REF id: 16 hex characters of an HMAC of the token id. */
const REF_ID = /^[0-9a-f]{16}$/;

/** The REF id tokenops uses for a Vector Charts token whose (secret) id is `secretId`. */
export function vectorchartsRefId(secretId: string, fingerprintKey: string): string {
  return fingerprint(secretId, fingerprintKey).slice(0, 16);
}

/** True when an id is already a REF id; anything else is a pasted token id, i.e. a secret. */
export function isVectorchartsRefId(id: string): boolean {
  return REF_ID.test(id);
}
