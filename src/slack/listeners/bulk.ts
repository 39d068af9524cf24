import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { Job, JobOrigin } from '../../commands/job.js';
import { bulkConfirmModalView } from '../views/bulk.js';
import { message, section } from '../views/blocks.js';
import type { ButtonArgs } from './buttons.js';
import { nextCorrelationId, type IngressKit } from './kit.js';

/** The modal's callback id. */
export const BULK_CONFIRM_MODAL = 'bulk_confirm_modal';

/** Who clicked, and where to answer (the preview is replaced by the outcome). */
function originOf(body: ButtonArgs['body']): JobOrigin {
  return {
    userId: body.user.id,
    teamId: body.user.team_id ?? body.team?.id ?? '',
    channelId: body.channel?.id ?? '',
    responseUrl: body.response_url,
    replaceOriginal: true,
  };
}

function bulkJob(kit: IngressKit, id: string, origin: JobOrigin, rest: Record<string, unknown>): Job {
  return {
    id,
    correlationId: nextCorrelationId(kit),
    createdAt: new Date().toISOString(),
    origin,
    ...rest,
  } as Job;
}

const said = (text: string) => ({
  response_type: 'ephemeral',
  replace_original: true,
  ...message(text, [section(text)]),
});

/**
 * The bulk revocation's buttons. Only translation happens here: the worker checks the job (who may
 * confirm or stop it, the typed number against the stored total) before anything changes.
 */
export function bulkButtons(kit: IngressKit): Record<string, (a: ButtonArgs) => Promise<void>> {
  return {
    async bulk_confirm({ body, action, respond }) {
      const id = action.value ?? '';
      await kit.enqueue(bulkJob(kit, `bulk-confirm-${id}`, originOf(body), { kind: 'bulk_start', bulkId: id }));
      await respond(
        said(':hourglass_flowing_sand: Starting the bulk revoke: progress follows in this channel.') as never,
      );
    },
    async bulk_confirm_typed({ body, action, client }) {
      const { id, total } = JSON.parse(action.value ?? '{}') as { id?: string; total?: number };
      const meta = JSON.stringify({ id, total, channelId: body.channel?.id ?? '', responseUrl: body.response_url });
      await client.views.open({
        trigger_id: body.trigger_id,
        view: bulkConfirmModalView({ id: id ?? '', total: total ?? 0, privateMetadata: meta }) as never,
      });
    },
    async bulk_cancel({ body, action, respond }) {
      const id = action.value ?? '';
      await kit.enqueue(bulkJob(kit, `bulk-cancel-${id}`, originOf(body), { kind: 'bulk_stop', bulkId: id }));
      await respond(said('Cancelled: nothing was revoked.') as never);
    },
    async bulk_stop({ body, action }) {
      const id = action.value ?? '';
      const origin = { ...originOf(body), replaceOriginal: false };
      await kit.enqueue(bulkJob(kit, `bulk-stop-${id}-${body.user.id}`, origin, { kind: 'bulk_stop', bulkId: id }));
    },
  };
}

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** The typed confirmation: a wrong number is refused in the modal itself, and nothing starts. */
export function registerBulkModal(app: App, kit: IngressKit): void {
  app.view(BULK_CONFIRM_MODAL, async ({ ack, body, view }: ViewArgs) => {
    const typed = view.state.values['count']?.['value']?.value?.trim() ?? '';
    const meta = JSON.parse(view.private_metadata || '{}') as {
      id?: string;
      total?: number;
      channelId?: string;
      responseUrl?: string;
    };
    if (!/^\d+$/.test(typed) || Number(typed) !== meta.total)
      return ack({
        response_action: 'errors',
        errors: { count: `Type ${meta.total ?? '?'}, the number of tokens this revokes, to confirm.` },
      });
    const origin: JobOrigin = {
      userId: body.user.id,
      teamId: body.user.team_id ?? body.team?.id ?? '',
      channelId: meta.channelId ?? '',
      responseUrl: meta.responseUrl,
      replaceOriginal: true,
    };
    const id = meta.id ?? '';
    await kit.enqueue(
      bulkJob(kit, `bulk-confirm-${id}`, origin, { kind: 'bulk_start', bulkId: id, typed: Number(typed) }),
    );
    return ack();
  });
}
