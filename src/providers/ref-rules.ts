import type { Ref } from '../core/ref.js';
import type { ProviderType } from '../core/token.js';
import { isVectorchartsRefId, vectorchartsRefId } from './vectorcharts/ref-id.js';

/** How a provider's REF id differs from its token id, where it does. */
interface RefIdRule {
  /** True when the id is already a REF id. */
  isRefId(id: string): boolean;
  /** The REF id of a token id. */
  refId(tokenId: string, fingerprintKey: string): string;
}

/** Providers whose token id is a secret; every other provider's REF id is its token id. */
const RULES: Partial<Record<ProviderType, RefIdRule>> = {
  vectorcharts: { isRefId: isVectorchartsRefId, refId: vectorchartsRefId },
};

/**
 * True when a REF's id may be a secret: for a provider whose token id is its secret, an id that is
 * not a REF id was pasted by someone responding to a leak. It must be hashed before it goes anywhere.
 */
export function refHoldsSecret(ref: Ref): boolean {
  const rule = RULES[ref.provider];
  return rule !== undefined && !rule.isRefId(ref.id);
}

/** The REF with a pasted secret id replaced by its REF id (other REFs unchanged). */
export function safeRef(ref: Ref, fingerprintKey: string): Ref {
  const rule = RULES[ref.provider];
  return rule && !rule.isRefId(ref.id) ? { ...ref, id: rule.refId(ref.id, fingerprintKey) } : ref;
}
