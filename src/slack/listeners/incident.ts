// Incident listeners: `/token leaked` (the form, and a value typed after the command), the form's
// submission, Slack's user_change event (offboarding) and the offboarding card's buttons. Each only
// translates: fingerprints are taken here, so no value ever reaches the queue, a log or a reply.
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { Access } from '../../commands/access.js';
import type { Job, JobOrigin, OffboardDecision } from '../../commands/job.js';
import { leakItemFromSlack } from '../../core/leak-door.js';
import { errorView } from '../views.js';
import { LEAK_MODAL_CALLBACK_ID, leakModalView, leakTypedWarningView } from '../views/leaks.js';
import { OFFBOARD_ACTIONS, OFFBOARD_REASSIGN_CALLBACK_ID, offboardReassignModalView } from '../views/offboard.js';
import { QUEUE_DOWN, ephemeral, nextCorrelationId, type IngressKit } from './kit.js';

type SlashArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
type ButtonArgs = AllMiddlewareArgs & { ack: () => Promise<void>; body: BlockAction; action: ButtonAction };

const LEAKED = /^\s*leaked(?:\s+([\s\S]*))?$/i;
const CANT_CONFIRM = 'Slack could not confirm who you are; try again in a moment.';

/** True when the command text is `/token leaked …` (checked before the parser sees the text). */
export const isLeakedCommand = (text: string): boolean => LEAKED.test(text);

const job = (head: Omit<Job, 'createdAt' | 'kind'>, rest: Record<string, unknown>): Job =>
  ({ ...head, createdAt: new Date().toISOString(), ...rest }) as Job;

/** Queues a leak report of one value: only its fingerprints go on. */
async function queueLeak(kit: IngressKit, origin: JobOrigin, id: string, value: string, where: string) {
  const item = leakItemFromSlack(value, await kit.deps.fingerprintKey(), origin.userId, where);
  await kit.enqueue(job({ id, correlationId: nextCorrelationId(kit), origin }, { kind: 'leak_report', items: [item] }));
}

/** `/token leaked`: opens the form; a value typed after it is warned about, then checked as leaked. */
export async function leakedCommand(kit: IngressKit, { command, ack, client }: SlashArgs): Promise<void> {
  const access = new Access(kit.deps);
  const refusal = await access.reportRefusal(command.user_id, command.team_id).catch(() => CANT_CONFIRM);
  if (refusal) return ack(ephemeral(errorView(`Not allowed: ${refusal}`)));
  const typed = (LEAKED.exec(command.text)?.[1] ?? '').trim();
  if (typed) {
    const origin: JobOrigin = { userId: command.user_id, teamId: command.team_id, channelId: '', inDm: true };
    const checkable = typed.length >= 8 && typed.length <= 1024;
    if (checkable) await queueLeak(kit, origin, `leak-${command.trigger_id}`, typed, '').catch(() => undefined);
    return ack(ephemeral(leakTypedWarningView(checkable)));
  }
  try {
    await client.views.open({ trigger_id: command.trigger_id, view: leakModalView() as never });
  } catch {
    return ack(ephemeral(errorView('Slack did not open the form in time. Type /token leaked again.')));
  }
  return ack();
}

/** Registers the leak form's submission, user_change, and the offboarding card. */
export function registerIncident(app: App, kit: IngressKit): void {
  app.view(LEAK_MODAL_CALLBACK_ID, async ({ ack, body, view }) => {
    const value = (view.state.values['secret']?.['value']?.value ?? '').trim();
    const where = (view.state.values['where']?.['value']?.value ?? '').trim();
    if (value.length < 8) return ack({ response_action: 'errors', errors: { secret: 'Paste the whole secret.' } });
    const origin = {
      userId: body.user.id,
      teamId: body.user.team_id ?? body.team?.id ?? '',
      channelId: '',
      inDm: true,
    };
    try {
      await queueLeak(kit, origin, `leak-${view.id}`, value, where);
    } catch {
      return ack({ response_action: 'errors', errors: { secret: QUEUE_DOWN.slice(0, 150) } });
    }
    return ack();
  });

  app.event('user_change', async ({ event, body }) => {
    const user = event.user as { id?: string; deleted?: boolean };
    if (user.deleted !== true || !user.id) return;
    const teamId = (body as { team_id?: string }).team_id ?? '';
    // Slack retries an event it thinks was missed: the event id makes the job (and its claim) the same.
    const eventId = (body as { event_id?: string }).event_id ?? `${user.id}-${event.event_ts}`;
    const origin = { userId: 'tokenops', teamId, channelId: '' };
    await kit.enqueue(
      job(
        { id: `offboard-${eventId}`, correlationId: nextCorrelationId(kit), origin },
        { kind: 'offboard', subject: user.id },
      ),
    );
  });

  registerOffboardCard(app, kit);
}

function clickOrigin(body: BlockAction): JobOrigin {
  return {
    userId: body.user.id,
    teamId: body.user.team_id ?? body.team?.id ?? '',
    channelId: body.channel?.id ?? '',
    messageTs: body.message?.ts,
    responseUrl: body.response_url,
    replaceOriginal: true,
  };
}

function decisionJob(
  kit: IngressKit,
  id: string,
  origin: JobOrigin,
  subject: string,
  decision: OffboardDecision,
  newOwner?: string,
): Job {
  return job(
    { id, correlationId: nextCorrelationId(kit), origin },
    { kind: 'offboard_decision', subject, decision, newOwner },
  );
}

function registerOffboardCard(app: App, kit: IngressKit): void {
  const decide =
    (decision: OffboardDecision) =>
    async ({ ack, body, action }: ButtonArgs) => {
      await ack();
      await kit.enqueue(decisionJob(kit, body.trigger_id, clickOrigin(body), action.value ?? '', decision));
    };
  app.action({ type: 'block_actions', action_id: OFFBOARD_ACTIONS.revokeAll }, decide('revoke') as never);
  app.action({ type: 'block_actions', action_id: OFFBOARD_ACTIONS.keep }, decide('keep') as never);
  app.action({ type: 'block_actions', action_id: OFFBOARD_ACTIONS.reassign }, (async ({
    ack,
    body,
    action,
    client,
  }: ButtonArgs) => {
    await ack();
    const origin = clickOrigin(body);
    const meta = JSON.stringify({
      subject: action.value ?? '',
      channel: origin.channelId,
      ts: origin.messageTs,
      url: origin.responseUrl,
    });
    await client.views.open({
      trigger_id: body.trigger_id,
      view: offboardReassignModalView(meta, action.value ?? '') as never,
    });
  }) as never);
  app.view(OFFBOARD_REASSIGN_CALLBACK_ID, async ({ ack, body, view }) => {
    const owner = (view.state.values['owner']?.['value'] as { selected_user?: string } | undefined)?.selected_user;
    if (!owner) return ack({ response_action: 'errors', errors: { owner: 'Choose the new owner.' } });
    const meta = JSON.parse(view.private_metadata || '{}') as {
      subject?: string;
      channel?: string;
      ts?: string;
      url?: string;
    };
    if (owner === meta.subject)
      return ack({ response_action: 'errors', errors: { owner: 'Choose someone else: this person was deactivated.' } });
    const origin: JobOrigin = {
      userId: body.user.id,
      teamId: body.user.team_id ?? body.team?.id ?? '',
      channelId: meta.channel ?? '',
      messageTs: meta.ts,
      responseUrl: meta.url,
      replaceOriginal: true,
    };
    await kit.enqueue(decisionJob(kit, `reassign-${view.id}`, origin, meta.subject ?? '', 'reassign', owner));
    return ack();
  });
}
