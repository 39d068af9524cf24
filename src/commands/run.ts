import { asTokenOpsError } from '../core/errors.js';
import { COMMAND_TRAITS } from './access.js';
import type { Command } from './command.js';
import type { Reply } from './reply.js';
import { createToken, rotateToken, toggleToken } from './use-cases/change.js';
import { revokeToken } from './use-cases/revoke.js';
import { previewBulk } from './use-cases/bulk.js';
import type { UseCaseContext } from './use-cases/context.js';
import { findTokens, listProviders, listTokens, readAudit, showToken } from './use-cases/read.js';

/** Asks a second person to approve; returns the reply for the requester. */
export type RequestApproval = (summary: string) => Promise<Reply>;

/** Errors whose message is written for the user; anything else is shown as a reference id only. */
const USER_FACING = new Set([
  'bad_command',
  'not_found',
  'unsupported',
  'invalid_request',
  'auth',
  'forbidden',
  'rate_limited',
  'provider_unavailable',
  'unexpected_response',
  'delivery_failed',
  'audit_unavailable',
  'conflict',
  'config',
]);

/** Runs one command's use case and turns any failure into a reply. Never throws. */
export async function runCommand(
  ctx: UseCaseContext,
  command: Command,
  requestApproval: RequestApproval,
): Promise<Reply> {
  try {
    return await dispatch(ctx, command, requestApproval);
  } catch (err) {
    return errorReply(err, ctx.actor.correlationId, COMMAND_TRAITS[command.name].mints);
  }
}

/**
 * The reply for a failure: the typed message for user errors, a reference id for system ones. A store
 * outage is said in the words of what was refused: minting, or another change.
 */
export function errorReply(err: unknown, correlationId: string, mints = true): Reply {
  const e = asTokenOpsError(err);
  if (e.code === 'denied') return { kind: 'refused', message: e.message };
  if (e.code === 'audit_unavailable') {
    const refused = mints ? 'refused to mint a token' : 'did not make the change';
    return {
      kind: 'error',
      code: e.code,
      message: `The audit trail cannot be written right now, so tokenops ${refused}. Try again in a minute (reference ${correlationId}).`,
    };
  }
  if (USER_FACING.has(e.code)) return { kind: 'error', code: e.code, message: e.message };
  return { kind: 'error', code: e.code, message: `Something went wrong inside tokenops (reference ${correlationId}).` };
}

async function dispatch(ctx: UseCaseContext, c: Command, requestApproval: RequestApproval): Promise<Reply> {
  switch (c.name) {
    case 'list':
      return listTokens(ctx, c.target, c.nameFilter, c.mine, c.page);
    case 'show':
      return showToken(ctx, c.ref);
    case 'providers':
      return listProviders(ctx);
    case 'find':
      return findTokens(ctx, c.query);
    case 'audit':
      return readAudit(ctx, c.provider, c.sinceDays);
    case 'create':
      return createToken(ctx, c, requestApproval);
    case 'rotate':
      return rotateToken(ctx, c.ref, c.reason, requestApproval);
    case 'revoke':
      return revokeToken(ctx, c.ref, c.reason);
    case 'revoke_bulk':
      return previewBulk(ctx, c.selection, c.reason, ctx.actor.channelId ?? '');
    case 'activate':
    case 'deactivate':
      return toggleToken(ctx, c.name, c.ref, c.reason);
    case 'help':
    case 'create_modal':
    case 'leaked':
      // Answered by the ingress without a job; reaching the worker means a malformed job.
      return { kind: 'error', code: 'internal', message: 'That command is answered directly and needs no job.' };
  }
}
