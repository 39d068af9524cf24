import type { Notifier } from '../core/ports.js';
import { providerLabel } from '../providers/descriptors.js';
import type { DeliverSecret } from '../commands/reply.js';
import { secretDmView, type View } from '../slack/views.js';

/**
 * Delivers a new secret to one user's DM, ephemerally, through the notifier. The only place
 * `reveal()` is called: the secret lives from the provider's response to this one Slack call.
 */
export function deliverSecretTo(output: Notifier<View>, userId: string): DeliverSecret {
  return async (issued, context) => {
    const s = issued.summary;
    const view = secretDmView({
      ref: s.ref,
      tokenName: s.name,
      providerLabel: providerLabel(s.provider),
      secret: issued.secret.reveal(),
      expiresAt: s.expiresAt ?? null,
      ...(context.action === 'rotated' ? { note: 'This replaces the rotated token.' } : {}),
    });
    await output.deliverSecret(userId, view);
  };
}
