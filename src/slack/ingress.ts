import { randomUUID } from 'node:crypto';
import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackViewMiddlewareArgs,
} from '@slack/bolt';
import { Access, permissionFor, refusalRecord } from '../commands/access.js';
import type { Command } from '../commands/command.js';
import { parseCommand } from '../commands/grammar.js';
import { USAGE } from '../commands/help.js';
import type { Job, JobOrigin, JobQueue } from '../commands/job.js';
import type { Directory } from '../core/ports.js';
import type { PolicyDoc } from '../core/policy.js';
import { parseRef, printRef, refHoldsSecret, safeRef, type Ref } from '../core/ref.js';
import { fingerprint } from '../core/secret.js';
import { PROVIDER_LABELS, type ProviderType } from '../core/token.js';
import type { Log } from '../core/ports.js';
import { commandFromModal, modalValues } from './modal-submission.js';
import {
  CREATE_MODAL_CALLBACK_ID,
  confirmRevokeView,
  createModalView,
  errorView,
  helpView,
  workingView,
  type View,
} from './views.js';

/** What the ingress needs: no provider adapters and no store, so it stays fast and light. */
export interface IngressDeps {
  queue: JobQueue;
  directory: Directory;
  policy: PolicyDoc;
  allowedTeams: readonly string[];
  /** Configured connections (for the create modal's choices). */
  connections: readonly { provider: ProviderType; connection: string }[];
  /** Turns a pasted secret in `/token find` into its fingerprint before it is queued. */
  fingerprintKey: () => Promise<string>;
  log: Log;
}

const NO_CREATE = 'your roles do not allow creating tokens on any provider. Ask your tokenops admin for access.';
const QUEUE_DOWN = 'tokenops could not take the request right now, so nothing was done. Try again in a moment.';

/** A short id for one request, shown to the user on a failure and carried by every log line. */
const newCorrelationId = (): string => randomUUID().slice(0, 13);

/** The job for a command a user asked for. */
function commandJob(id: string, correlationId: string, origin: JobOrigin, command: Command): Job {
  return { id, correlationId, createdAt: new Date().toISOString(), origin, kind: 'command', command };
}

/** An ephemeral ack body. */
const ephemeral = (view: View): Record<string, unknown> => ({ response_type: 'ephemeral', ...view });

/**
 * Registers the /token listeners: verify (Bolt), parse, authorize, open modals, enqueue, and ack with
 * "working on it…". No provider I/O happens here: Slack waits only 3 s and Lambda answers when done.
 */
export function registerListeners(app: App, deps: IngressDeps): void {
  const access = new Access(deps);
  /** Why the command is refused to the user, or undefined when it is allowed. */
  const refusalOf = async (userId: string, teamId: string, c: Command): Promise<string | undefined> => {
    const need = permissionFor(c);
    return need ? access.refusal(userId, teamId, need.action, need.provider) : undefined;
  };

  /** The providers on which the user may create tokens (the create form offers only those). */
  const creatableProviders = (userId: string, teamId: string): Promise<Set<ProviderType>> =>
    access.allowedProviders(
      userId,
      teamId,
      'create',
      deps.connections.map((c) => c.provider),
    );

  /** Records a refused change: the worker stores it and posts it to the audit channel. */
  const auditRefusal = async (origin: JobOrigin, correlationId: string, c: Command, reason: string): Promise<void> => {
    const record = refusalRecord(origin, correlationId, c, reason);
    if (!record) return;
    const at = record.at;
    await deps.queue.send({
      id: `refused-${record.id}`,
      correlationId,
      createdAt: at,
      origin,
      kind: 'audit_post',
      record,
      attempt: 0,
    });
  };

  /** The REF with a pasted Vector Charts secret hashed (the key is fetched only then). */
  const hashed = async (ref: Ref): Promise<Ref> =>
    refHoldsSecret(ref) ? safeRef(ref, await deps.fingerprintKey()) : ref;

  const enqueue = async (job: Job): Promise<void> => {
    await deps.queue.send(job);
    deps.log.info('job queued', {
      jobId: job.id,
      kind: job.kind,
      correlationId: job.correlationId,
      ...(job.kind === 'command' ? { command: job.command.name } : {}),
    });
  };

  app.command('/token', async ({ command, ack, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    const correlationId = newCorrelationId();
    const parsed = parseCommand(command.text);
    if (!parsed.ok) return ack(ephemeral(errorView(parsed.error, { usage: parsed.usage })));
    let c = parsed.command;
    // A pasted Vector Charts secret as the id: hash it before it reaches a reply, a job or the audit.
    if ('ref' in c) c = { ...c, ref: await hashed(c.ref) };
    if (c.name === 'help') return ack(ephemeral(helpView(c.topic)));
    const origin: JobOrigin = {
      userId: command.user_id,
      teamId: command.team_id,
      channelId: command.channel_id,
      responseUrl: command.response_url,
    };
    const { user_id: userId, team_id: teamId } = command;
    const check =
      c.name === 'create_modal'
        ? creatableProviders(userId, teamId).then((p) => (p.size > 0 ? undefined : NO_CREATE))
        : refusalOf(userId, teamId, c);
    const refusal = await check.catch(() => 'Slack could not confirm who you are; try again in a moment.');
    if (refusal) {
      await auditRefusal(origin, correlationId, c, refusal).catch(() => undefined);
      return ack(ephemeral(errorView(`Not allowed: ${refusal}`)));
    }
    if (c.name === 'create_modal') {
      const mayCreate = await creatableProviders(command.user_id, command.team_id);
      const targets = deps.connections
        .filter((t) => mayCreate.has(t.provider))
        .map((t) => ({
          value: `${t.provider}:${t.connection}`,
          label: `${PROVIDER_LABELS[t.provider]} · ${t.connection}`,
        }));
      try {
        await client.views.open({
          trigger_id: command.trigger_id,
          view: createModalView({
            targets,
            privateMetadata: JSON.stringify({ channelId: command.channel_id, responseUrl: command.response_url }),
          }) as never,
        });
      } catch {
        return ack(
          ephemeral(
            errorView(
              'Slack did not open the form in time. Type /token create again, or give the fields on one line.',
              { usage: USAGE.create },
            ),
          ),
        );
      }
      return ack();
    }
    if (c.name === 'revoke')
      return ack(
        ephemeral(
          confirmRevokeView(printRef(c.ref), {
            reason: c.reason,
          }),
        ),
      );
    if (c.name === 'find' && c.query.length >= 16) {
      // It may be a pasted secret: only its fingerprints travel on (as typed, and lower-cased for names).
      const key = await deps.fingerprintKey();
      c = { ...c, query: `sha256:${fingerprint(c.query, key)}:${fingerprint(c.query.toLowerCase(), key)}` };
    }
    try {
      await enqueue(commandJob(command.trigger_id, correlationId, origin, c));
    } catch {
      return ack(ephemeral(errorView(QUEUE_DOWN, { correlationId })));
    }
    return ack(ephemeral(workingView(`/token ${c.name}`)));
  });

  type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
  const originOf = (body: BlockAction, replaceOriginal = false): JobOrigin => ({
    userId: body.user.id,
    teamId: body.user.team_id ?? body.team?.id ?? '',
    channelId: body.channel?.id ?? '',
    responseUrl: body.response_url,
    replaceOriginal,
  });
  const decide =
    (decision: 'approved' | 'denied') =>
    async ({ body, action }: ButtonArgs) =>
      enqueue({
        id: body.trigger_id,
        correlationId: newCorrelationId(),
        createdAt: new Date().toISOString(),
        origin: originOf(body),
        kind: 'approval',
        approvalId: action.value ?? '',
        decision,
      });

  /** Every button, by action id. One Bolt listener serves them all: Bolt runs each listener's middleware on every request. */
  const buttons: Record<string, (a: ButtonArgs) => Promise<void>> = {
    async revoke_confirm({ body, action, respond }) {
      const correlationId = newCorrelationId();
      const origin = originOf(body, true);
      const { ref: refText, reason } = JSON.parse(action.value ?? '{}') as { ref?: string; reason?: string };
      const ref = await hashed(parseRef(refText ?? ''));
      const command: Command = { name: 'revoke', ref, reason };
      const refusal = await refusalOf(origin.userId, origin.teamId, command).catch(
        () => 'Slack could not confirm who you are.',
      );
      if (refusal) {
        await respond({
          response_type: 'ephemeral',
          replace_original: true,
          ...errorView(`Not allowed: ${refusal}`),
        } as never);
        return auditRefusal(origin, correlationId, command, refusal);
      }
      await enqueue(commandJob(body.trigger_id, correlationId, origin, command));
    },
    async revoke_cancel({ respond }) {
      await respond({ delete_original: true });
    },
    async revoke_request({ action, respond }) {
      const { ref } = JSON.parse(action.value ?? '{}') as { ref?: string };
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        ...confirmRevokeView(printRef(await hashed(parseRef(ref ?? '')))),
      } as never);
    },
    approval_approve: decide('approved'),
    approval_deny: decide('denied'),
  };
  const buttonIds = new RegExp(`^(${Object.keys(buttons).join('|')})$`);

  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: buttonIds }, async (args) => {
    await args.ack();
    try {
      await buttons[args.action.action_id]?.(args as ButtonArgs);
    } catch (err) {
      // The click was acked already: tell the person, or a revoke would silently not happen.
      const correlationId = newCorrelationId();
      deps.log.error('button failed', { actionId: args.action.action_id, correlationId, error: (err as Error).name });
      const view = errorView(QUEUE_DOWN, { correlationId });
      await args
        .respond({ response_type: 'ephemeral', replace_original: false, ...view } as never)
        .catch(() => undefined);
    }
  });

  app.view(CREATE_MODAL_CALLBACK_ID, async ({ body, view, ack }: SlackViewMiddlewareArgs & AllMiddlewareArgs) => {
    const result = commandFromModal(modalValues(view.state), new Date());
    if (!result.ok) return ack({ response_action: 'errors', errors: result.errors });
    const meta = JSON.parse(view.private_metadata || '{}') as { channelId?: string; responseUrl?: string };
    const origin: JobOrigin = {
      userId: body.user.id,
      teamId: body.user.team_id ?? body.team?.id ?? '',
      channelId: meta.channelId ?? '',
      responseUrl: meta.responseUrl,
    };
    const c = result.command;
    const correlationId = newCorrelationId();
    const refusal = await refusalOf(origin.userId, origin.teamId, c).catch(
      () => 'Slack could not confirm who you are.',
    );
    if (refusal) {
      await auditRefusal(origin, correlationId, c, refusal).catch(() => undefined);
      return ack({ response_action: 'errors', errors: { target: `Not allowed: ${refusal}`.slice(0, 150) } });
    }
    try {
      await enqueue(commandJob(`view-${view.id}`, correlationId, origin, c));
    } catch {
      return ack({ response_action: 'errors', errors: { name: QUEUE_DOWN.slice(0, 150) } });
    }
    return ack();
  });
}
