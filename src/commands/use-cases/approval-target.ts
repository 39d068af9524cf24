import type { AuditAction } from '../../core/audit.js';
import { formatRef } from '../../core/ref.js';
import type { ProviderType } from '../../core/token.js';
import type { Command } from '../command.js';
import type { ProviderRegistry } from '../../providers/registry.js';

/** What an approval is about: a create on a connection, or a rotate of one token. */
export interface ApprovalTarget {
  action: Extract<AuditAction, 'create' | 'rotate'>;
  provider: ProviderType;
  connection: string;
  /** `provider:connection` for a create, the REF for a rotate. */
  target: string;
  ref?: string | undefined;
  tokenName?: string | undefined;
  detail?: string | undefined;
  reason?: string | undefined;
}

/** The commands that can wait for approval (create, rotate), described for views and audit; else undefined. */
export function approvalTarget(cmd: Command, registry: ProviderRegistry): ApprovalTarget | undefined {
  if (cmd.name === 'create') {
    const connection = registry.resolveConnection(cmd.target.provider, cmd.target.connection);
    return {
      action: 'create',
      provider: cmd.target.provider,
      connection,
      target: `${cmd.target.provider}:${connection}`,
      tokenName: cmd.tokenName,
      detail: cmd.tier ? `tier ${cmd.tier}` : undefined,
      reason: cmd.reason,
    };
  }
  if (cmd.name === 'rotate') {
    const connection = registry.resolveConnection(cmd.ref.provider, cmd.ref.connection);
    const ref = formatRef({ provider: cmd.ref.provider, connection, id: cmd.ref.id });
    return { action: 'rotate', provider: cmd.ref.provider, connection, target: ref, ref, reason: cmd.reason };
  }
  return undefined;
}
