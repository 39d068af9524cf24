import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { buttonsListener } from './listeners/buttons.js';
import { registerBulkModal } from './listeners/bulk.js';
import { createModalListener } from './listeners/create-modal.js';
import { ingressKit, type IngressDeps } from './listeners/kit.js';
import { slashCommandListener } from './listeners/slash-command.js';
import { registerIncident } from './listeners/incident.js';
import { CREATE_MODAL_CALLBACK_ID } from './views.js';
import { fromIngressKit, registerInteractions } from './interactions.js';

export type { IngressDeps } from './listeners/kit.js';

/**
 * Registers the /token listeners: verify (Bolt), parse, authorize, open modals, enqueue, and ack with
 * "working on it…". No provider I/O happens here: Slack waits only 3 s and Lambda answers when done.
 */
export function registerListeners(app: App, deps: IngressDeps): void {
  const kit = ingressKit(deps);
  app.command('/token', slashCommandListener(kit));
  const buttons = buttonsListener(kit);
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: buttons.ids }, buttons.listener);
  app.view(CREATE_MODAL_CALLBACK_ID, createModalListener(kit));
  registerBulkModal(app, kit);
  // The form's provider select, the deny-reason modal and the Home tab.
  registerInteractions(app, fromIngressKit(kit));
  // `/token leaked`'s form, user_change (offboarding) and the offboarding card.
  registerIncident(app, kit);
}
