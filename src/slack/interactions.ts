// The interactions that make tokenops feel like a Slack app rather than a command line: page buttons
// that replace the list in place, Rotate from a token or the Home tab, "create another with this
// name", the provider-aware create form (dispatch_action → views.update), the deny-reason modal, and
// the Home tab (app_home_opened). Every one is checked against the policy before anything is queued.
import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  StaticSelectAction,
} from '@slack/bolt';
import type { Command } from '../commands/command.js';
import { parseCommand } from '../commands/grammar.js';
import type { Job, JobOrigin } from '../commands/job.js';
import { needsApproval, type PolicyDoc } from '../core/policy.js';
import type { Ref } from '../core/ref.js';
import type { ProviderType } from '../core/token.js';
import { descriptorOf } from '../providers/descriptors.js';
import {
  CREATE_TARGET_ACTION,
  DENY_MODAL_CALLBACK_ID,
  createModalView,
  decodeListCursor,
  denyReasonModalView,
  errorView,
  targetLabel,
  type CreateTarget,
} from './views.js';
import { message, section } from './views/blocks.js';
import { newCorrelationId, type IngressKit } from './listeners/kit.js';
import { BAD_FORM, BadValueError, approvalButton, denyFormMeta, refButton, textButton } from './listeners/values.js';

/** What the interactions share with the ingress: its policy checks, queue and helpers. */
export interface InteractionKit {
  policy: PolicyDoc;
  connections: readonly { provider: ProviderType; connection: string }[];
  enqueue(job: Job): Promise<void>;
  refusalOf(userId: string, teamId: string, c: Command): Promise<string | undefined>;
  auditRefusal(origin: JobOrigin, correlationId: string, c: Command, reason: string): Promise<void>;
  creatableProviders(userId: string, teamId: string): Promise<Set<ProviderType>>;
  hashed(ref: Ref): Promise<Ref>;
  newCorrelationId(): string;
}

/** The interactions' view of the ingress's shared steps. */
export function fromIngressKit(kit: IngressKit): InteractionKit {
  return {
    policy: kit.deps.policy,
    connections: kit.deps.connections,
    enqueue: (job) => kit.enqueue(job),
    refusalOf: (u, t, c) => kit.refusalOf(u, t, c),
    auditRefusal: (o, id, c, r) => kit.auditRefusal(o, id, c, r),
    creatableProviders: (u, t) => kit.creatableProviders(u, t),
    hashed: (ref) => kit.hashed(ref),
    newCorrelationId,
  };
}

/** A button handler's arguments. */
export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** The create form's targets: connections of providers that can create, on which the person may create. */
export function createTargets(kit: InteractionKit, mayCreate: Set<ProviderType>): CreateTarget[] {
  return kit.connections
    .filter((t) => mayCreate.has(t.provider) && descriptorOf(t.provider).createForm.creatable)
    .map((t) => ({ value: `${t.provider}:${t.connection}`, label: targetLabel(t.provider, t.connection) }));
}

/** The form's "needs approval" marks, from the same policy the worker applies. */
export function approvalMarks(policy: PolicyDoc): (provider: ProviderType, tier?: string) => boolean {
  return (provider, tier) => needsApproval(policy, 'create', provider, tier);
}

/** The origin of a click: a message (with its response_url) or the Home tab (answers go to the DM). */
function originOf(body: BlockAction, replaceOriginal: boolean): JobOrigin {
  const fromHome = body.container?.type === 'view';
  return {
    userId: body.user.id,
    teamId: body.user.team_id ?? body.team?.id ?? '',
    channelId: body.channel?.id ?? '',
    responseUrl: fromHome ? undefined : body.response_url,
    replaceOriginal: fromHome ? false : replaceOriginal,
    ...(fromHome ? { inDm: true } : {}),
  };
}

/** Checks, audits a refusal, and queues a command started by a click; says why when refused. */
async function runClicked(kit: InteractionKit, a: ButtonArgs, command: Command, origin: JobOrigin): Promise<void> {
  const correlationId = kit.newCorrelationId();
  const refusal = await kit.refusalOf(origin.userId, origin.teamId, command);
  if (refusal) {
    // Audited first: a failing reply must not lose the record of the refusal.
    await kit.auditRefusal(origin, correlationId, command, refusal).catch(() => undefined);
    if (origin.responseUrl) {
      await a.respond({
        response_type: 'ephemeral',
        replace_original: false,
        ...errorView(`Not allowed: ${refusal}`),
      } as never);
    }
    return;
  }
  await kit.enqueue({
    id: a.body.trigger_id,
    correlationId,
    createdAt: new Date().toISOString(),
    origin,
    kind: 'command',
    command,
  });
}

/** The new buttons, by action id (the ingress serves them with its own). */
export function interactionButtons(kit: InteractionKit): Record<string, (a: ButtonArgs) => Promise<void>> {
  const page = async (a: ButtonArgs): Promise<void> => {
    const cursor = decodeListCursor(a.action.value);
    if (!cursor) throw new BadValueError('button value');
    const command: Command = { name: 'list', ...cursor };
    await runClicked(kit, a, command, originOf(a.body, true));
  };
  return {
    list_page_next: page,
    list_page_prev: page,
    async rotate_request(a) {
      const command: Command = { name: 'rotate', ref: await kit.hashed(refButton(a.action.value).ref) };
      await runClicked(kit, a, command, originOf(a.body, true));
    },
    async create_duplicate(a) {
      // The button carries the command as text: it is parsed like anything typed, nothing more.
      const parsed = parseCommand(textButton(a.action.value));
      if (!parsed.ok || parsed.command.name !== 'create') throw new BadValueError('button value');
      await runClicked(kit, a, { ...parsed.command, allowDuplicate: true }, originOf(a.body, true));
    },
    async create_cancel({ respond }) {
      const text = 'Nothing was created.';
      await respond({ response_type: 'ephemeral', replace_original: true, ...message(text, [section(text)]) } as never);
    },
    async home_refresh(a) {
      await kit.enqueue(homeJob(a.body.user.id, a.body.user.team_id ?? a.body.team?.id ?? '', a.body.trigger_id, kit));
    },
    async approval_deny({ body, action, client }) {
      // Deny asks for a reason first: a small modal, whose submission queues the decision.
      const card =
        body.container?.type === 'message'
          ? { channel: body.channel?.id ?? '', ts: body.message?.ts ?? '' }
          : undefined;
      const meta = JSON.stringify({ approvalId: approvalButton(action.value), ...(card?.ts ? { card } : {}) });
      const what = body.message?.text ?? 'this request';
      await client.views.open({
        trigger_id: body.trigger_id,
        view: denyReasonModalView({ privateMetadata: meta, summary: what.replace(/^Approval needed: /, '') }) as never,
      });
    },
  };
}

/** A job that publishes one person's Home tab. */
function homeJob(userId: string, teamId: string, id: string, kit: InteractionKit): Job {
  return {
    id: `home-${id}`,
    correlationId: kit.newCorrelationId(),
    createdAt: new Date().toISOString(),
    origin: { userId, teamId, channelId: '' },
    kind: 'home',
  };
}

/** Registers the form's provider select, the deny-reason modal and the Home tab event. */
export function registerInteractions(app: App, kit: InteractionKit): void {
  type SelectArgs = SlackActionMiddlewareArgs<BlockAction<StaticSelectAction>> & AllMiddlewareArgs;
  app.action<BlockAction<StaticSelectAction>>(
    { type: 'block_actions', action_id: CREATE_TARGET_ACTION },
    async ({ ack, body, action, client }: SelectArgs) => {
      await ack();
      const view = body.view;
      if (!view) return;
      const teamId = body.user.team_id ?? body.team?.id ?? '';
      const mayCreate = await kit.creatableProviders(body.user.id, teamId).catch(() => new Set<ProviderType>());
      const next = createModalView({
        targets: createTargets(kit, mayCreate),
        privateMetadata: view.private_metadata,
        chosen: action.selected_option.value,
        needsApproval: approvalMarks(kit.policy),
      });
      // The hash makes Slack refuse an update over a newer version of the form (two quick choices).
      await client.views.update({ view_id: view.id, hash: view.hash, view: next as never }).catch(() => undefined);
    },
  );

  app.view(DENY_MODAL_CALLBACK_ID, async ({ ack, body, view }) => {
    const reason = view.state.values['reason']?.['value']?.value?.trim() ?? '';
    if (reason.length < 3) return ack({ response_action: 'errors', errors: { reason: 'Say in a few words why.' } });
    let meta: ReturnType<typeof denyFormMeta>;
    try {
      meta = denyFormMeta(view.private_metadata);
    } catch {
      return ack({ response_action: 'errors', errors: { reason: BAD_FORM } });
    }
    await kit.enqueue({
      id: `deny-${view.id}`,
      correlationId: kit.newCorrelationId(),
      createdAt: new Date().toISOString(),
      origin: {
        userId: body.user.id,
        teamId: body.user.team_id ?? body.team?.id ?? '',
        channelId: meta.card?.channel ?? '',
        messageTs: meta.card?.ts,
        inDm: true,
      },
      kind: 'approval',
      approvalId: meta.approvalId,
      decision: 'denied',
      note: reason.slice(0, 500),
    });
    return ack();
  });

  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home') return;
    const teamId = (body as { team_id?: string }).team_id ?? '';
    const eventId = (body as { event_id?: string }).event_id ?? `${event.user}-${event.event_ts}`;
    await kit.enqueue(homeJob(event.user, teamId, eventId, kit));
  });
}
