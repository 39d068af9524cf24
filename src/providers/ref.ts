import { looksLikeRefAmong, parseRefAmong, type Ref } from '../core/ref.js';
import { descriptorOf, isProviderType } from './descriptors.js';

/** Parses `provider[:connection]/id` for a configured provider type; throws a `bad_command` error. */
export function parseRef(text: string): Ref {
  return parseRefAmong(text, isProviderType);
}

/** True when the text looks like a REF (has a provider type before a slash). */
export function looksLikeRef(text: string): boolean {
  return looksLikeRefAmong(text, isProviderType);
}

/**
 * True when a REF's id may be a secret: for a provider whose token id is its secret, an id that is
 * not a REF id was pasted by someone responding to a leak. It must be hashed before it goes anywhere.
 */
export function refHoldsSecret(ref: Ref): boolean {
  const rule = descriptorOf(ref.provider).refId;
  return rule !== undefined && !rule.isRefId(ref.id);
}

/** The REF with a pasted secret id replaced by its REF id (other REFs unchanged). */
export function safeRef(ref: Ref, fingerprintKey: string): Ref {
  const rule = descriptorOf(ref.provider).refId;
  return rule && !rule.isRefId(ref.id) ? { ...ref, id: rule.refId(ref.id, fingerprintKey) } : ref;
}
