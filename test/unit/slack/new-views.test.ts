import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../src/core/audit.js';
import type { TokenRecord } from '../../../src/core/ports.js';
import type { TokenSummary } from '../../../src/core/token.js';
import { formatSlackDate } from '../../../src/local/console/mrkdwn.js';
import { validateBlocks } from '../../../src/local/slack-standin/block-limits.js';
import { renderReply } from '../../../src/slack/render.js';
import {
  approvalDecidedView,
  approvalOutcomeView,
  approvalRequestView,
  auditNoticeView,
  createModalView,
  denyReasonModalView,
  errorView,
  findResultsView,
  homeView,
  pendingApprovalView,
  revokeKeptView,
  splitProviderError,
  thirdPerson,
  tokenDetailView,
  tokenListView,
} from '../../../src/slack/views.js';

// Every view this issue added, at its worst (long, hostile text; many items), through the same
// validator the local Slack stand-in applies to chat.postMessage, response_url, views.open/update/publish.

const EVIL = '<!channel> <@U999EVIL> *x* `y` & ' + 'n'.repeat(400);
const LONG = 'n'.repeat(3000);

function token(i: number, provider: TokenSummary['provider'] = 'triton', connection = 'prod'): TokenSummary {
  return {
    ref: `${provider}:${connection}/id-${i}`,
    provider,
    connection,
    id: `id-${i}`,
    name: i % 2 ? LONG : EVIL,
    last4: 'ab&<',
    fingerprint: 'f'.repeat(64),
    createdAt: '2026-01-01T10:00:00Z',
    expiresAt: i % 2 ? '2027-01-31T00:00:00Z' : null,
    lastUsedAt: null,
    active: i % 3 !== 0,
    extras: { rateTier: EVIL, deactivationReasons: LONG, owner: 'U0ALICE', empty: null },
  };
}

const record = (i: number): AuditRecord => ({
  id: `a${i}`,
  at: '2026-05-31T12:00:00Z',
  actor: 'U0SAM',
  action: 'revoke',
  provider: 'triton',
  connection: 'prod',
  ref: `triton:prod/id-${i}`,
  tokenName: EVIL,
  reason: LONG,
  outcome: 'refused',
  errorCode: 'denied',
  detail: 'your roles (engineer) do not allow `revoke` on triton. Ask your tokenops admin for access.',
});

const own = (i: number, days: number): TokenRecord => ({
  ref: `mailtrap:main/${i}`,
  provider: 'mailtrap',
  connection: 'main',
  name: EVIL,
  owner: 'U0ALICE',
  fingerprint: 'f'.repeat(64),
  last4: 'abcd',
  createdAt: '2026-11-01T00:00:00Z',
  expiresAt: new Date(Date.parse('2026-12-01T00:00:00Z') + days * 86400_000).toISOString(),
});

const valid = (blocks: unknown[], where: 'message' | 'modal'): void =>
  expect(validateBlocks(blocks, where)).toEqual([]);

describe('new views pass the stand-in’s Block Kit validation', () => {
  it('list pages (grouped, with pager), detail with buttons, find with Revoke', () => {
    const many = [
      ...Array.from({ length: 60 }, (_, i) => token(i)),
      ...Array.from({ length: 30 }, (_, i) => token(100 + i, 'mailtrap', 'main')),
    ];
    for (const page of [1, 2, 3, 5]) {
      valid(tokenListView(many, { title: LONG, page, query: { mine: true, nameFilter: EVIL } }).blocks, 'message');
    }
    valid(tokenDetailView(token(1), { owner: 'U0ALICE', may: ['rotate', 'revoke'] }).blocks, 'message');
    const may = Object.fromEntries(many.map((t) => [t.ref, ['revoke' as const]]));
    valid(
      findResultsView(
        LONG,
        many.map((t) => ({ token: t, matchedOn: 'name' as const })),
        [],
        may,
      ).blocks,
      'message',
    );
  });

  it('approval request, decided card, outcome, pending reply and the deny-reason modal', () => {
    const subject = {
      requester: 'U0OLIVIA',
      action: 'create',
      target: 'triton:prod',
      tokenName: EVIL,
      facts: Array.from({ length: 12 }, () => ({ label: EVIL, value: LONG })),
      reason: LONG,
    };
    valid(approvalRequestView({ ...subject, approvalId: 'ap-1' }).blocks, 'message');
    valid(approvalDecidedView({ ...subject, approver: 'U0SAM', decision: 'denied', note: LONG }).blocks, 'message');
    valid(approvalOutcomeView({ decision: 'approved', approver: 'U0SAM', summary: LONG }).blocks, 'message');
    valid(pendingApprovalView(LONG, 'C0APPROVALS').blocks, 'message');
    valid(denyReasonModalView({ privateMetadata: '{}', summary: LONG }).blocks, 'modal');
  });

  it('the create form for each provider, the Home tab, and the small replies', () => {
    const targets = ['triton:prod', 'triton:staging', 'mailtrap:main', 'vectorcharts:main'].map((value) => ({
      value,
      label: `${value} ${LONG}`,
    }));
    for (const chosen of [undefined, ...targets.map((t) => t.value)]) {
      const view = createModalView({ targets, privateMetadata: '{}', chosen, needsApproval: () => true });
      valid(view.blocks, 'modal');
    }
    const home = homeView({
      userId: 'U0ALICE',
      own: Array.from({ length: 80 }, (_, i) => own(i, i % 20)),
      now: new Date('2026-12-01T00:00:00Z'),
      mayRotate: () => true,
      myPending: [],
      audit: Array.from({ length: 20 }, (_, i) => record(i)),
      problems: [LONG],
    });
    expect(home.blocks.length).toBeLessThanOrEqual(100);
    valid(home.blocks, 'modal');
    valid(revokeKeptView(LONG).blocks, 'message');
    valid(
      errorView(`Triton One does not know that token (get token, HTTP 404): ${LONG}.`, { correlationId: 'c1' }).blocks,
      'message',
    );
    const dup = renderReply(
      {
        kind: 'duplicate_name',
        tokenName: EVIL,
        target: 'mailtrap:main',
        existing: ['mailtrap:main/1'],
        confirmValue: '{"text":"create mailtrap:main \\"x\\""}',
      },
      'c1',
    );
    valid(dup.blocks, 'message');
  });
});

describe('words and formats', () => {
  it('says a provider error as one plain sentence, with the call and the reference aside', () => {
    const view = errorView('Triton One does not know that token (get token, HTTP 404): Not Found.', {
      correlationId: 'c-42',
    });
    expect(view.text).toBe('Triton One does not know that token.');
    const notes = JSON.stringify(view.blocks[1]);
    expect(notes).toContain('The provider said: Not Found (get token, HTTP 404)');
    expect(notes).toContain('`c-42`');
    expect(splitProviderError('Mailtrap is rate limiting tokenops (list tokens, HTTP 429). Try again in 3 s.')).toEqual(
      {
        sentence: 'Mailtrap is rate limiting tokenops. Try again in 3 s.',
        detail: '(list tokens, HTTP 429)',
      },
    );
    expect(splitProviderError('revoke needs a REF.')).toEqual({ sentence: 'revoke needs a REF.' });
  });

  it('speaks of refused people in the third person in the audit channel', () => {
    expect(
      thirdPerson(
        'Not allowed: your roles (engineer) do not allow `revoke` on triton. Ask your tokenops admin for access.',
      ),
    ).toBe('their roles (engineer) do not allow `revoke` on triton.');
    expect(thirdPerson('You cannot approve or deny your own request.')).toBe(
      'They cannot approve or deny their own request.',
    );
    expect(JSON.stringify(auditNoticeView(record(1)).blocks)).not.toMatch(/\byour\b|Ask your/);
  });

  it('renders <!date> in the reader’s time zone in the console, with today and tomorrow', () => {
    const now = Date.parse('2027-01-30T12:00:00Z');
    expect(formatSlackDate('!date^1801353600^{date_short_pretty} at {time}', now, 'UTC')).toBe('tomorrow at 12:00 AM');
    expect(formatSlackDate('!date^1801353600^{date_short_pretty} at {time}', now, 'America/New_York')).toBe(
      'today at 7:00 PM',
    );
    expect(formatSlackDate('!date^1801353600^{date_short}', now + 10 * 86400_000, 'UTC')).toBe('Jan 31, 2027');
    expect(formatSlackDate('!date^nope^{date}', now)).toBeUndefined();
  });
});
