import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../src/core/audit.js';
import type { Capabilities, TokenSummary } from '../../../src/core/token.js';
import {
  approvalDecidedView,
  approvalRequestView,
  auditListView,
  auditNoticeView,
  changeDoneView,
  confirmRevokeView,
  createModalView,
  decodeListCursor,
  denyReasonModalView,
  encodeListCursor,
  errorView,
  homeView,
  approvalOutcomeView,
  findResultsView,
  helpView,
  providersView,
  secretDmView,
  secretSentView,
  tokenDetailView,
  tokenListView,
  workingView,
  type View,
} from '../../../src/slack/views.js';

const EVIL =
  '<!channel> <@U999EVIL> <https://evil.example|click me> *bold* `tick` ```fence``` a & b <!subteam^S1|@sec>';
const ACTOR = 'U0ACTOR1';
const LONG = 'n'.repeat(3000);

function token(i: number, name = `token ${i}`): TokenSummary {
  return {
    ref: `triton:prod/id-${i}`,
    provider: 'triton',
    connection: 'prod',
    id: `id-${i}`,
    name,
    last4: 'ab&<',
    fingerprint: 'f'.repeat(64),
    createdAt: '2026-01-01T10:00:00Z',
    expiresAt: i % 2 ? '2027-01-31T00:00:00Z' : null,
    lastUsedAt: null,
    active: i % 3 !== 0,
    extras: { tier: EVIL, note: LONG, empty: null },
  };
}

function record(i: number, over: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id: `a${i}`,
    at: '2026-05-31T12:00:00Z',
    actor: ACTOR,
    action: 'revoke',
    provider: 'triton',
    connection: 'prod',
    ref: `triton:prod/id-${i}`,
    tokenName: EVIL,
    last4: 'x<y>',
    reason: EVIL,
    outcome: 'failed',
    errorCode: '<!here>',
    detail: EVIL,
    correlationId: EVIL,
    ...over,
  };
}

const CAPS: Capabilities = {
  list: { mode: 'native' },
  get: { mode: 'emulated', how: EVIL },
  create: { mode: 'native' },
  revoke: { mode: 'emulated', how: 'revoked by deactivation (Triton has no delete)' },
  rotate: { mode: 'emulated', how: EVIL },
  activate: { mode: 'unsupported', where: EVIL },
  deactivate: { mode: 'native' },
};

interface TextObject {
  type: 'mrkdwn' | 'plain_text';
  text: string;
}

/** Every text object in a block tree. */
function texts(node: unknown, out: TextObject[] = []): TextObject[] {
  if (Array.isArray(node)) node.forEach((n) => texts(n, out));
  else if (node !== null && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') out.push(o as never);
    else Object.values(o).forEach((v) => texts(v, out));
  }
  return out;
}

/** Every node of a given key anywhere in the tree. */
function nodes(node: unknown, pick: (o: Record<string, unknown>) => boolean, out: Record<string, unknown>[] = []) {
  if (Array.isArray(node)) node.forEach((n) => nodes(n, pick, out));
  else if (node !== null && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (pick(o)) out.push(o);
    Object.values(o).forEach((v) => nodes(v, pick, out));
  }
  return out;
}

/** No mrkdwn (nor the fallback, which Slack also parses) holds an unescaped `<` other than our own mentions. */
function expectNeutralised(view: { text?: string; blocks: unknown[] }, mentions: string[] = []): void {
  const mrkdwn = texts(view.blocks)
    .filter((t) => t.type === 'mrkdwn')
    .map((t) => t.text);
  for (const text of [...mrkdwn, view.text ?? '']) {
    let rest = text;
    for (const id of mentions) rest = rest.split(`<@${id}>`).join('');
    // Our own date tokens (epoch, format, UTC fallback) are the only other `<…>` allowed.
    rest = rest.replace(/<!date\^\d+\^\{date_short_pretty\}(?: at \{time\})?\|[0-9: -]+(?:UTC)?>/g, '');
    expect(rest, text).not.toContain('<');
    expect(rest, text).not.toContain('>');
    expect(/&(?!amp;|lt;|gt;)/.test(rest), text).toBe(false);
  }
}

const BLOCK_TYPES = new Set(['section', 'context', 'header', 'divider', 'actions', 'input']);

/** Slack's limits and shapes, as far as a unit test can check them. */
function expectValidBlockKit(view: { text?: string; blocks: unknown[] }, maxBlocks = 50): void {
  const blocks = view.blocks as Record<string, unknown>[];
  expect(blocks.length).toBeGreaterThan(0);
  expect(blocks.length).toBeLessThanOrEqual(maxBlocks);
  if (view.text !== undefined) expect(view.text.length).toBeLessThanOrEqual(3000);
  const blockIds = blocks.map((b) => b.block_id).filter((id) => id !== undefined);
  expect(new Set(blockIds).size).toBe(blockIds.length);
  for (const b of blocks) {
    expect(BLOCK_TYPES.has(String(b.type)), String(b.type)).toBe(true);
    if (b.block_id !== undefined) expect(String(b.block_id).length).toBeLessThanOrEqual(255);
    if (b.type === 'section') {
      expect(b.text !== undefined || b.fields !== undefined).toBe(true);
      if (b.text) expect((b.text as TextObject).text.length).toBeLessThanOrEqual(3000);
      const fields = (b.fields ?? []) as TextObject[];
      expect(fields.length).toBeLessThanOrEqual(10);
      fields.forEach((f) => expect(f.text.length).toBeLessThanOrEqual(2000));
    }
    if (b.type === 'header') expect((b.text as TextObject).text.length).toBeLessThanOrEqual(150);
    if (b.type === 'context') expect((b.elements as unknown[]).length).toBeLessThanOrEqual(10);
    if (b.type === 'actions') {
      const ids = (b.elements as { action_id: string }[]).map((e) => e.action_id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  }
  for (const t of texts(blocks)) {
    expect(t.text.length).toBeGreaterThan(0);
    expect(t.text.length).toBeLessThanOrEqual(3000);
  }
  for (const btn of nodes(blocks, (o) => o.type === 'button')) {
    expect((btn.text as TextObject).type).toBe('plain_text');
    expect((btn.text as TextObject).text.length).toBeLessThanOrEqual(75);
    expect(String(btn.action_id).length).toBeLessThanOrEqual(255);
    if (btn.value !== undefined) expect(String(btn.value).length).toBeLessThanOrEqual(2000);
    const confirm = btn.confirm as Record<string, TextObject> | undefined;
    if (confirm) {
      expect(confirm.text?.text.length).toBeLessThanOrEqual(300);
      expect(confirm.title?.text.length).toBeLessThanOrEqual(100);
    }
  }
}

/** Every message builder, fed hostile text in every field. */
function everyView(text: string): Record<string, View> {
  const tokens = [token(1, text), token(2, text)];
  return {
    list: tokenListView(tokens, { title: text, errors: [{ target: text, message: text }] }),
    detail: tokenDetailView({ ...token(3, text), ref: text, connection: text }),
    find: findResultsView(text, [{ token: token(4, text), matchedOn: 'name' }], [{ target: text, message: text }]),
    providers: providersView([{ provider: 'triton', connection: text, capabilities: CAPS }]),
    confirm: confirmRevokeView(text, { reason: text, tokenName: text }),
    working: workingView(text),
    error: errorView(text, { usage: text, correlationId: text }),
    help: helpView('revoke'),
    dm: secretDmView({
      ref: text,
      tokenName: text,
      providerLabel: text,
      secret: 's3cr3t',
      expiresAt: text,
      note: text,
    }),
    sent: secretSentView({ ref: text, tokenName: text, action: 'rotated', how: text, oldFate: text }),
    done: changeDoneView({ action: 'revoke', ref: text, tokenName: text, how: text, emulated: true }),
    notice: auditNoticeView(record(1, { tokenName: text, reason: text, ref: text })),
    noticeBadActor: auditNoticeView(record(2, { actor: text })),
    audit: auditListView([record(1), record(2, { actor: text })], { sinceDays: 7, provider: text }),
    approval: approvalRequestView({ approvalId: 'ap1', requester: ACTOR, action: text, target: text, reason: text }),
    decided: approvalDecidedView({
      requester: text,
      approver: ACTOR,
      decision: 'denied',
      action: text,
      target: text,
      tokenName: text,
      detail: text,
      note: text,
    }),
  };
}

describe('views: injection', () => {
  it('neutralises mentions, links and broadcasts in every builder', () => {
    for (const [name, view] of Object.entries(everyView(EVIL))) {
      expect(view.blocks.length, name).toBeGreaterThan(0);
      expectNeutralised(view, [ACTOR]);
      expectValidBlockKit(view);
    }
  });
  it('never mentions anyone but a validated actor', () => {
    const notice = auditNoticeView(record(1));
    expect(JSON.stringify(notice.blocks)).toContain(`<@${ACTOR}>`);
    const bad = auditNoticeView(record(1, { actor: '<!channel>' }));
    expect(JSON.stringify(bad.blocks)).not.toContain('<!channel>');
    expect(JSON.stringify(bad.blocks)).toContain('&lt;!channel&gt;');
  });
  it('keeps user text out of the modal structure (plain text only)', () => {
    const modal = createModalView({ targets: [{ value: 'triton:prod', label: EVIL }], privateMetadata: '{}' });
    expect(texts(modal.blocks).every((t) => t.type === 'plain_text')).toBe(true);
  });
});

describe('views: limits', () => {
  it('holds every limit for 500 tokens with 3000-character names', () => {
    const many = Array.from({ length: 500 }, (_, i) => token(i, LONG));
    const view = tokenListView(many, { title: LONG, errors: Array(30).fill({ target: LONG, message: LONG }) });
    expectValidBlockKit(view);
    expect(view.text).toContain('500 tokens (page 1 of 25)');
    const find = findResultsView(
      LONG,
      many.map((t) => ({ token: t, matchedOn: 'last4' as const })),
    );
    expectValidBlockKit(find);
    expect(JSON.stringify(find.blocks)).toContain('460 more');
  });
  it('holds every limit for long text in every builder', () => {
    for (const [name, view] of Object.entries(everyView(LONG))) {
      expect(view.blocks.length, name).toBeGreaterThan(0);
      expectValidBlockKit(view);
    }
  });
  it('holds the limits for 500 audit records and 100 provider connections', () => {
    const records = Array.from({ length: 500 }, (_, i) => record(i, { reason: LONG, tokenName: LONG, detail: LONG }));
    const audit = auditListView(records, { sinceDays: 365 });
    expectValidBlockKit(audit);
    expect(JSON.stringify(audit.blocks)).toContain('latest 100 of 500');
    const infos = Array.from({ length: 100 }, (_, i) => ({
      provider: 'triton' as const,
      connection: `c${i}`,
      capabilities: { ...CAPS, get: { mode: 'emulated' as const, how: LONG } },
    }));
    expectValidBlockKit(providersView(infos));
  });
  it('keeps the revoke button value within 2000 characters and never cuts the REF', () => {
    const view = confirmRevokeView('triton:prod/abc', { reason: '"\\'.repeat(3000) });
    const [btn] = nodes(view.blocks, (o) => o.action_id === 'revoke_confirm');
    const value = JSON.parse(String(btn?.value)) as { ref: string; reason: string };
    expect(value.ref).toBe('triton:prod/abc');
    expect(value.reason.length).toBeGreaterThan(100);
    expectValidBlockKit(view);
  });
});

describe('views: secrets', () => {
  const CANARY = 'CANARY-s3cr3t-&<x>-9qy7';
  it('shows the secret only inside the DM blocks, never in the notification text', () => {
    const dm = secretDmView({ ref: 'triton:prod/a', tokenName: 'ci', providerLabel: 'Triton One', secret: CANARY });
    const shown = JSON.stringify(dm.blocks);
    expect(shown).toContain('```CANARY-s3cr3t-&amp;&lt;x&gt;-9qy7```');
    expect(dm.text).not.toContain('CANARY');
    expect(shown).toContain('Only visible to you. Store it now: it will not be shown again.');
    const sent = secretSentView({ ref: 'triton:prod/a', tokenName: 'ci', action: 'created' });
    expect(JSON.stringify(sent)).not.toContain('CANARY');
    expect(JSON.stringify(sent.blocks)).toContain('if you cannot see it there, rotate the token');
  });
  it('shows a secret with a backtick exactly, as plain text', () => {
    const dm = secretDmView({ ref: 'r/1', tokenName: 'ci', providerLabel: 'X', secret: 'ab`c\nd' });
    expect(texts(dm.blocks).some((t) => t.type === 'plain_text' && t.text === 'ab`c\nd')).toBe(true);
  });
  it('splits a very long secret over several blocks without losing a character', () => {
    const secret = 'k'.repeat(7000);
    const dm = secretDmView({ ref: 'r/1', tokenName: 'ci', providerLabel: 'X', secret });
    expectValidBlockKit(dm);
    const joined = texts(dm.blocks)
      .map((t) => t.text.replace(/```/g, ''))
      .filter((t) => /^k+$/.test(t))
      .join('');
    expect(joined).toBe(secret);
  });
});

describe('views: behaviour', () => {
  it('pages a long list with Previous/Next buttons whose value is the cursor, and hints at what was not typed', () => {
    const many = Array.from({ length: 57 }, (_, i) => token(i));
    const query = { target: { provider: 'triton' as const, connection: 'prod' }, mine: false };
    const page1 = tokenListView(many, { title: 'Tokens', query });
    expect(page1.blocks.filter((b) => b.type === 'section')).toHaveLength(20);
    const json1 = JSON.stringify(page1.blocks);
    expect(json1).toContain('Page 1 of 3 (1–20 of 57)');
    expect(json1).toContain('--name TEXT');
    expect(json1).not.toContain('/token list triton:prod'); // already typed: no hint to type it
    const pager1 = nodes(page1.blocks, (o) => o.type === 'button');
    expect(pager1.map((b) => b.action_id)).toEqual(['list_page_next']);
    expect(decodeListCursor(String(pager1[0]?.value))).toEqual({ ...query, page: 2 });
    const page3 = tokenListView(many, { title: 'Tokens', page: 3, query });
    expect(page3.text).toContain('page 3 of 3');
    expect(nodes(page3.blocks, (o) => o.type === 'button').map((b) => b.action_id)).toEqual(['list_page_prev']);
    expect(page3.blocks.filter((b) => b.type === 'section')).toHaveLength(17);
    const short = tokenListView(many.slice(0, 5), { title: 'T' });
    expect(nodes(short.blocks, (o) => o.type === 'button')).toHaveLength(0);
  });
  it('groups a list of every provider by connection with counts, and suggests a provider that is there', () => {
    const mixed = [
      ...Array.from({ length: 25 }, (_, i) => token(i)),
      ...Array.from({ length: 3 }, (_, i) => ({
        ...token(100 + i),
        provider: 'mailtrap' as const,
        connection: 'main',
        ref: `mailtrap:main/${i}`,
      })),
    ];
    const view = tokenListView(mixed, { title: 'Tokens on all providers', query: { mine: false } });
    const json = JSON.stringify(view.blocks);
    expect(json).toContain('*Triton One · prod*: 25 · *Mailtrap · main*: 3');
    expect(json).toContain('`/token list triton`');
    const page2 = tokenListView(mixed, { title: 'T', page: 2, query: { mine: false } });
    expect(JSON.stringify(page2.blocks)).toContain('*Mailtrap · main* · 3 tokens');
    expectValidBlockKit(page2);
  });
  it('reads back only cursors it wrote', () => {
    expect(decodeListCursor(encodeListCursor({ page: 2, mine: true, nameFilter: 'ci' }))).toEqual({
      page: 2,
      mine: true,
      nameFilter: 'ci',
    });
    for (const bad of ['', 'x', '{"p":0}', '{"p":2,"t":"nope"}', '{"p":2,"t":"triton:../x"}', '{"p":1.5}']) {
      expect(decodeListCursor(bad), bad).toBeUndefined();
    }
  });
  it('shows a down provider as a warning next to the tokens it could read', () => {
    const view = tokenListView([token(1)], { title: 'T', errors: [{ target: 'cobalt:main', message: 'timed out' }] });
    const ctx = view.blocks.find((b) => b.type === 'context');
    expect(JSON.stringify(ctx)).toContain(':warning: `cobalt:main` could not be read: timed out');
    expect(tokenListView([], { title: 'T' }).blocks.some((b) => JSON.stringify(b).includes('No tokens found'))).toBe(
      true,
    );
  });
  it('shows fingerprints short and never the full one', () => {
    const view = tokenDetailView(token(1));
    expect(JSON.stringify(view)).toContain('f'.repeat(12));
    expect(JSON.stringify(view)).not.toContain('f'.repeat(13));
  });
  it('labels capabilities native, emulated and unsupported', () => {
    const view = JSON.stringify(providersView([{ provider: 'triton', connection: 'prod', capabilities: CAPS }]));
    expect(view).toContain(':white_check_mark: list');
    expect(view).toContain('revoke: emulated, revoked by deactivation (Triton has no delete)');
    expect(view).toContain('activate: not over the API');
  });
  it('asks to confirm a revoke with a danger button, a dialog and a cancel button', () => {
    const view = confirmRevokeView('triton:prod/abc', { reason: 'leaked', tokenName: 'ci' });
    const [revoke] = nodes(view.blocks, (o) => o.action_id === 'revoke_confirm');
    const [cancel] = nodes(view.blocks, (o) => o.action_id === 'revoke_cancel');
    expect(revoke).toMatchObject({ type: 'button', style: 'danger', confirm: { style: 'danger' } });
    expect(JSON.parse(String(revoke?.value))).toEqual({ ref: 'triton:prod/abc', reason: 'leaked' });
    expect(cancel).toMatchObject({ type: 'button' });
  });
  it('puts a revoke_request button only on the find matches the viewer may revoke', () => {
    const matches = [
      { token: token(1), matchedOn: 'last4' as const },
      { token: token(2), matchedOn: 'fingerprint' as const },
    ];
    const view = findResultsView('9qy7', matches, [], {
      'triton:prod/id-1': ['revoke'],
      'triton:prod/id-2': ['revoke'],
    });
    const buttons = nodes(view.blocks, (o) => o.action_id === 'revoke_request');
    expect(buttons.map((b) => JSON.parse(String(b.value)))).toEqual([
      { ref: 'triton:prod/id-1', from: 'find' },
      { ref: 'triton:prod/id-2', from: 'find' },
    ]);
    const onlyOne = findResultsView('9qy7', matches, [], { 'triton:prod/id-1': ['revoke'] });
    expect(nodes(onlyOne.blocks, (o) => o.action_id === 'revoke_request')).toHaveLength(1);
    expect(nodes(findResultsView('9qy7', matches).blocks, (o) => o.type === 'button')).toHaveLength(0);
    expect(JSON.stringify(view.blocks)).toContain('matched on last characters');
  });
  it('labels an emulated change and says how it was done', () => {
    const how = 'revoked by deactivation (Triton has no delete)';
    const view = changeDoneView({ action: 'revoke', ref: 'triton:prod/a', tokenName: 'ci', how, emulated: true });
    expect(JSON.stringify(view.blocks)).toContain(`Emulated: ${how}`);
    expect(view.text).toContain('(emulated)');
  });
  it('shows the right form and the reference id in an error', () => {
    const view = errorView('revoke needs a REF.', { usage: '/token revoke REF [--reason TEXT]', correlationId: 'c-1' });
    const json = JSON.stringify(view.blocks);
    expect(json).toContain('`/token revoke REF [--reason TEXT]`');
    expect(json).toContain('`c-1`');
    expect(workingView('listing tokens').text).toContain('Working on it…');
  });
  it("builds a create form that shows only the chosen provider's fields", () => {
    const targets = [
      { value: 'triton:prod', label: 'Triton One · prod' },
      { value: 'mailtrap:main', label: 'Mailtrap · main' },
      { value: 'vectorcharts:main', label: 'Vector Charts · main' },
      { value: 'x'.repeat(200), label: 'too long to be a value' },
    ];
    const first = createModalView({ targets, privateMetadata: '{"channel":"C1"}' });
    expect(first).toMatchObject({ type: 'modal', callback_id: 'create_token', private_metadata: '{"channel":"C1"}' });
    expect(String(first.title.text).length).toBeLessThanOrEqual(24);
    expect(first.blocks.map((b) => b.block_id)).toEqual(['target']);
    expect(first.blocks[0]).toMatchObject({ dispatch_action: true, element: { action_id: 'create_target' } });
    expect((first.blocks[0]?.element as { options: unknown[] }).options).toHaveLength(3);
    const ids = (chosen: string) =>
      createModalView({
        targets,
        privateMetadata: '',
        chosen,
        needsApproval: (_p, tier) => tier === 'tier3',
      }).blocks.map((b) => b.block_id ?? b.type);
    expect(ids('triton:prod')).toEqual(['target', 'name', 'tier', 'reason']);
    expect(ids('mailtrap:main')).toEqual(['target', 'name', 'scopes', 'expires', 'reason']);
    expect(ids('vectorcharts:main')).toEqual(['target', 'name', 'hosts', 'reason']);
    const triton = createModalView({
      targets,
      privateMetadata: '',
      chosen: 'triton:prod',
      needsApproval: (_p, t) => t === 'tier3',
    });
    const tier = triton.blocks.find((b) => b.block_id === 'tier') as {
      element: { type: string; options: { value: string; text: { text: string } }[] };
    };
    expect(tier.element.type).toBe('static_select');
    expect(tier.element.options.map((o) => o.value)).toEqual(['free', 'tier1', 'tier2', 'tier3', 'dedi']);
    expect(tier.element.options[3]?.text.text).toBe('tier3 (needs approval)');
    const mailtrap = createModalView({ targets, privateMetadata: '', chosen: 'mailtrap:main' });
    expect(mailtrap.blocks.find((b) => b.block_id === 'expires')).toMatchObject({ element: { type: 'datepicker' } });
    for (const m of [first, triton, mailtrap]) expectValidBlockKit(m, 100);
    const empty = createModalView({ targets: [], privateMetadata: '' });
    expect(empty.submit).toBeUndefined();
  });
  it('offers Approve and Deny with the approval id, keeps every field and the reason once decided', () => {
    const subject = {
      requester: ACTOR,
      action: 'create',
      target: 'triton:prod',
      tokenName: 'ci',
      facts: [{ label: 'Rate tier', value: 'tier3' }],
      reason: 'load test',
    };
    const req = approvalRequestView({ ...subject, approvalId: 'ap-1' });
    const buttons = nodes(req.blocks, (o) => o.type === 'button');
    expect(buttons.map((b) => [b.action_id, b.value])).toEqual([
      ['approval_approve', 'ap-1'],
      ['approval_deny', 'ap-1'],
    ]);
    const done = approvalDecidedView({ ...subject, approver: 'U0APPROVER', decision: 'approved' });
    expect(nodes(done.blocks, (o) => o.type === 'button')).toHaveLength(0);
    const json = JSON.stringify(done.blocks);
    expect(json).toContain('Approved by <@U0APPROVER>');
    for (const kept of ['Rate tier', 'tier3', 'load test', 'ci', 'triton:prod']) expect(json).toContain(kept);
    const denied = approvalDecidedView({ ...subject, approver: 'U0SAM1', decision: 'denied', note: 'use tier1' });
    expect(JSON.stringify(denied.blocks)).toContain('Denied by <@U0SAM1>*: use tier1');
    const modal = denyReasonModalView({ privateMetadata: '{}', summary: 'create triton:prod token "ci"' });
    expect(modal.blocks.map((b) => b.block_id ?? b.type)).toContain('reason');
    expectValidBlockKit(modal, 100);
    const outcome = approvalOutcomeView({ decision: 'denied', approver: 'U0SAM1', summary: 'create', note: 'no' });
    expect(JSON.stringify(outcome.blocks)).toContain('<@U0SAM1> denied your request');
  });
  it('publishes a Home tab with expiring tokens first, Rotate only where allowed, and audit for security', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    const rec = (i: number, days: number | null) => ({
      ref: `mailtrap:main/${i}`,
      provider: 'mailtrap' as const,
      connection: 'main',
      name: `tok ${i}`,
      owner: ACTOR,
      fingerprint: 'f'.repeat(64),
      last4: 'abcd',
      createdAt: '2026-11-01T00:00:00Z',
      expiresAt: days === null ? undefined : new Date(now.getTime() + days * 86400_000).toISOString(),
    });
    const own = [rec(1, 3), rec(2, 40), rec(3, null), rec(4, 10)];
    const home = homeView({ userId: ACTOR, own, now, mayRotate: (t) => t.ref !== 'mailtrap:main/4', myPending: [] });
    expect(home.type).toBe('home');
    const rotates = nodes(home.blocks, (o) => o.action_id === 'rotate_request');
    expect(rotates.map((b) => JSON.parse(String(b.value)).ref)).toEqual(['mailtrap:main/1']);
    expect(JSON.stringify(home.blocks)).not.toContain('Recent changes');
    const sec = homeView({ userId: ACTOR, own, now, mayRotate: () => true, myPending: [], audit: [record(1)] });
    expect(JSON.stringify(sec.blocks)).toContain('Recent changes');
    expectValidBlockKit(sec, 100);
  });
  it('lists audit records compactly with outcome and error code', () => {
    const view = auditListView([record(1), record(2, { outcome: 'succeeded', errorCode: undefined })], {
      sinceDays: 7,
      provider: 'triton',
    });
    const json = JSON.stringify(view.blocks);
    expect(json).toContain('Audit: the last 7 days (Triton One)');
    expect(json).toContain('failed (`&lt;!here&gt;`)');
    expect(auditListView([], { sinceDays: 1 }).text).toContain('the last day');
  });
});
