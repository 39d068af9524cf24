import type { AppConfig } from '../config/schema.js';
import type { StandinUser } from './slack-standin/index.js';

/** The local workspace: fixed ids so README can name them and scripts can use them. */
export const LOCAL = {
  teamId: 'T0LOCAL01',
  botId: 'B0TOKENOPS',
  botUserId: 'U0TOKENOPS',
  botToken: 'xoxb-local-tokenops-bot-token',
  /** The local signing secret: documented in README so any HTTP client can sign its own requests. */
  signingSecret: 'local-signing-secret-tokenops-0000',
  /** Signs leak reports sent to POST /leaks locally. */
  leakSigningSecret: 'local-leak-signing-secret-0000',
  fingerprintKey: 'local-fingerprint-key-not-for-production',
  channels: { general: 'C0GENERAL', audit: 'C0AUDIT', approvals: 'C0APPROVALS' },
  securityGroup: 'S0SECURITY',
} as const;

/** Demo users: an engineer, a security engineer, an approver, a guest and a Slack Connect stranger. */
export const DEMO_USERS: StandinUser[] = [
  { id: 'U0ALICE', name: 'alice', realName: 'Alice Engineer', label: 'engineer', teamId: LOCAL.teamId },
  {
    id: 'U0SAM',
    name: 'sam',
    realName: 'Sam Security',
    label: 'security (via @security group)',
    teamId: LOCAL.teamId,
    groups: [LOCAL.securityGroup],
  },
  { id: 'U0OLIVIA', name: 'olivia', realName: 'Olivia Approver', label: 'engineer, approver', teamId: LOCAL.teamId },
  {
    id: 'U0GUEST',
    name: 'gina',
    realName: 'Gina Guest',
    label: 'guest: refused',
    teamId: LOCAL.teamId,
    isRestricted: true,
  },
  {
    id: 'U0STRANGER',
    name: 'stan',
    realName: 'Stan Stranger',
    label: 'Slack Connect: refused',
    teamId: 'T0OTHER',
    isStranger: true,
  },
];

/** The demo's leak policy: revoke at once where a listing proves the match, propose elsewhere. */
export const DEMO_LEAK_POLICY: AppConfig['incident']['leakPolicy'] = {
  mailtrap: 'autoRevoke',
  vectorcharts: 'autoRevoke',
  '*': 'propose',
};

/**
 * The demo policy: engineers list/create and rotate or revoke their own tokens, within tiers and
 * scopes; security acts on any token; paid Triton tiers need approval to create and to rotate.
 */
export const DEMO_POLICY: AppConfig['policy'] = {
  roles: {
    engineer: {
      description: 'request tokens; rotate and revoke their own',
      grants: { '*': ['list', 'get', 'create', 'rotate:own', 'revoke:own', 'find'] },
      tiers: ['free', 'tier1', 'tier2', 'tier3'],
      scopes: ['account:viewer', 'account:admin', 'project:*:*', 'inbox:*:*', 'sandbox:*:*', 'read'],
    },
    security: { description: 'everything, on any token', grants: { '*': ['*'] } },
    approver: { description: 'approves paid tiers', grants: { '*': ['approve', 'audit'] } },
  },
  members: [
    { user: 'U0ALICE', roles: ['engineer'] },
    { user: 'U0OLIVIA', roles: ['engineer', 'approver'] },
    { group: LOCAL.securityGroup, roles: ['security'] },
    // Guests and strangers are listed to show that the workspace rules win over roles.
    { user: 'U0GUEST', roles: ['engineer'] },
    { user: 'U0STRANGER', roles: ['security'] },
  ],
  approvals: [
    { action: 'create', provider: 'triton', tiers: ['tier3', 'dedi'] },
    { action: 'rotate', provider: 'triton', tiers: ['tier3', 'dedi'] },
  ],
};
