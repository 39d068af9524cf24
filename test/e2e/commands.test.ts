import { describe, expect, it } from 'vitest';
import { ALICE, OLIVIA, SAM, auditPosts, click, deliveredSecrets, refsIn, run, useStack } from './harness.js';

describe('every command, end to end (signed request → ingress → queue → worker → simulators → Slack)', () => {
  const stack = useStack();

  it('answers help and bad input in the ack, without a job', async () => {
    const s = stack();
    const help = await run(s, ALICE, 'help');
    expect(help.ack).toMatch(/\/token list/);
    const bad = await run(s, ALICE, 'frobnicate triton');
    expect(bad.ack).toMatch(/frobnicate/);
    expect(bad.ack).toMatch(/\/token help/);
    const typo = await run(s, ALICE, 'list tritn');
    expect(typo.ack).toMatch(/did you mean triton/i);
    expect(help.replies.concat(bad.replies, typo.replies)).toEqual([]);
  });

  it('lists the configured providers with emulated actions labelled', async () => {
    const r = await run(stack(), ALICE, 'providers');
    expect(r.ack).toMatch(/Working on it/);
    const text = r.replies.join('\n');
    for (const p of ['Triton One', 'Mailtrap', 'Vector Charts', 'Cobalt', 'Vaultoro']) expect(text).toContain(p);
    expect(text).toMatch(/staging/);
    expect(text).toMatch(/emulated/i);
  });

  it.each(['triton', 'triton:staging', 'mailtrap', 'vectorcharts', 'cobalt', 'vaultoro'])(
    'lists %s tokens',
    async (target) => {
      const r = await run(stack(), ALICE, `list ${target}`);
      const text = r.replies.join('\n');
      expect(refsIn(text).length).toBeGreaterThan(0);
      expect(refsIn(text).every((ref) => ref.startsWith(target.split(':')[0] as string))).toBe(true);
    },
  );

  it('shows one token by REF', async () => {
    const s = stack();
    const ref = refsIn((await run(s, ALICE, 'list mailtrap')).replies.join('\n'))[0] as string;
    const r = await run(s, ALICE, `show ${ref}`);
    expect(r.replies.join('\n')).toContain(ref);
    expect(r.replies.join('\n')).toMatch(/Last 4/);
  });

  it.each([
    ['mailtrap', 'mailtrap ci-deploy-e2e --scope account:admin --expires 30d'],
    ['triton:prod', 'triton:prod rpc-e2e --tier tier1'],
    ['vectorcharts', 'vectorcharts charts-e2e'],
  ])('creates a %s token and delivers the secret only to the requester DM', async (_p, args) => {
    const s = stack();
    const before = deliveredSecrets(s).length;
    const r = await run(s, ALICE, `create ${args} --reason e2e`);
    const text = r.replies.join('\n');
    expect(text).toMatch(/sent to your DM/);
    const delivered = deliveredSecrets(s).slice(before);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.user).toBe(ALICE);
    expect(text).not.toContain(delivered[0]?.secret);
    const ref = refsIn(text)[0] as string;
    const sim = s.sims[ref.split('/')[0] === 'triton:prod' ? 'triton:prod' : `${ref.split(':')[0]}:default`];
    expect(await sim?.useSecret(delivered[0]?.secret as string)).toBeLessThan(300);
    expect(auditPosts(s).some((p) => p.includes(ref) && /create/i.test(p))).toBe(true);
  });

  it.each(['cobalt', 'vaultoro'])('refuses to create on %s and says where to do it', async (p) => {
    const r = await run(stack(), ALICE, `create ${p} nope`);
    expect(r.replies.join('\n')).toMatch(/web app|dashboard/i);
  });

  // Reads a rotate makes beyond one listing: Mailtrap reads the old token's new expiry after a reset.
  it.each([
    ['mailtrap', /keeps working until/, 1],
    ['triton:prod', /deactivated/, 0],
    ['vectorcharts', /deleted/, 0],
    ['cobalt', /stopped working at once/, 0],
  ] as const)(
    'rotates a %s token: new secret to the DM, the old one as documented',
    async (target, fate, extraReads) => {
      const s = stack();
      const sim = s.sims[target.includes(':') ? target : `${target}:default`];
      const gets = (): number => sim?.requests.filter((q) => q.method === 'GET').length ?? 0;
      const beforeList = gets();
      // Cobalt lists tokenops' own credential among the caller's tokens: rotate a named demo token instead.
      const listed = await run(s, ALICE, target === 'cobalt' ? 'list cobalt --name jira-sync' : `list ${target}`);
      const readsPerList = gets() - beforeList;
      const ref = refsIn(listed.replies.join('\n'))[0] as string;
      const before = deliveredSecrets(s).length;
      const beforeRotate = gets();
      const r = await run(s, ALICE, `rotate ${ref} --reason scheduled`);
      const text = r.replies.join('\n');
      expect(text).toMatch(/Rotated/);
      expect(text).toMatch(fate);
      expect(deliveredSecrets(s).slice(before)).toHaveLength(1);
      expect(gets() - beforeRotate).toBe(readsPerList + extraReads); // the token list is read once per rotate
      const stored = await s.stores.audit.list({ since: new Date(Date.now() - 60_000).toISOString() });
      const record = stored.find((a) => a.action === 'rotate' && a.ref === ref);
      expect(record?.outcome).toBe('succeeded');
      expect(record?.tokenName).toBeTruthy();
    },
  );

  it('revokes only after confirmation, and the audit channel shows it', async () => {
    const s = stack();
    const issued = await run(s, SAM, 'create mailtrap to-revoke');
    const ref = refsIn(issued.replies.join('\n'))[0] as string;
    const secret = deliveredSecrets(s).at(-1)?.secret as string;
    const ask = await s.standin.slashCommand({ user: SAM, text: `revoke ${ref} --reason leaked in CI log` });
    expect(JSON.stringify(ask.body)).toMatch(/revoke_confirm/);
    expect(await s.sims['mailtrap:default']?.useSecret(secret)).toBeLessThan(300); // nothing happened yet
    const done = await click(s, SAM, 'revoke_confirm');
    expect(done.join('\n')).toMatch(/Revoked/);
    expect(await s.sims['mailtrap:default']?.useSecret(secret)).toBeGreaterThanOrEqual(400);
    expect(auditPosts(s).some((p) => p.includes(ref) && p.includes('leaked in CI log'))).toBe(true);
    const stored = await s.stores.audit.list({ since: new Date(Date.now() - 60_000).toISOString() });
    expect(stored.find((a) => a.action === 'revoke' && a.ref === ref)).toMatchObject({
      outcome: 'succeeded',
      tokenName: 'to-revoke',
    });
  });

  it('cancels a revoke without touching the token', async () => {
    const s = stack();
    const ref = refsIn((await run(s, SAM, 'list vaultoro')).replies.join('\n'))[0] as string;
    await s.standin.slashCommand({ user: SAM, text: `revoke ${ref}` });
    await click(s, SAM, 'revoke_cancel');
    expect((await run(s, SAM, `show ${ref}`)).replies.join('\n')).toContain(ref);
  });

  it('revokes by the provider-specific method and labels emulation', async () => {
    const s = stack();
    for (const [target, how] of [
      ['triton:prod', /deactivated/],
      ['cobalt', /refreshed/],
      ['vaultoro', /deleted/],
    ] as const) {
      // A fresh token where tokenops can mint one; earlier cases rotated the first listed ones. Cobalt
      // lists tokenops' own credential among the caller's tokens, so its victim is picked by name.
      const source =
        target === 'triton:prod'
          ? await run(s, SAM, 'create triton:prod revoke-me --tier tier1')
          : await run(s, SAM, target === 'cobalt' ? 'list cobalt --name vuln-triage' : `list ${target}`);
      const ref = refsIn(source.replies.join('\n'))[0] as string;
      await s.standin.slashCommand({ user: SAM, text: `revoke ${ref}` });
      const done = await click(s, SAM, 'revoke_confirm');
      expect(done.join('\n'), target).toMatch(how);
    }
  });

  it('deactivates and activates a Triton token', async () => {
    const s = stack();
    const ref = refsIn((await run(s, SAM, 'list triton:staging')).replies.join('\n'))[0] as string;
    expect((await run(s, SAM, `deactivate ${ref} --reason pause`)).replies.join('\n')).toMatch(/eactivated/);
    expect((await run(s, SAM, `activate ${ref}`)).replies.join('\n')).toMatch(/ctivated/);
    expect((await run(s, SAM, 'activate mailtrap/1')).replies.join('\n')).toMatch(/cannot be activated/);
  });

  it('finds tokens by last characters, name and a pasted secret across every provider', async () => {
    const s = stack();
    await run(s, ALICE, 'create triton:prod findme-e2e --tier tier1');
    const { secret } = deliveredSecrets(s).at(-1) as { secret: string };
    const byName = await run(s, SAM, 'find findme-e2e');
    expect(byName.replies.join('\n')).toMatch(/findme-e2e/);
    const byLast4 = await run(s, SAM, `find ${secret.slice(-4)}`);
    expect(byLast4.replies.join('\n')).toMatch(/findme-e2e/);
    const pasted = await run(s, SAM, `find ${secret}`);
    expect(pasted.replies.join('\n')).toMatch(/findme-e2e/);
    expect(pasted.replies.join('\n')).not.toContain(secret);
    expect(s.queue.bodies.join('\n')).not.toContain(secret);
    expect(pasted.replies.join('\n')).toMatch(/revoke_request/);
  });

  it('finds a token by a long name typed in any case (long queries travel only as fingerprints)', async () => {
    const s = stack();
    await run(s, ALICE, 'create triton:prod a-very-long-token-name-e2e --tier tier1');
    const r = await run(s, SAM, 'find A-Very-Long-Token-Name-E2E');
    expect(r.replies.join('\n')).toMatch(/a-very-long-token-name-e2e/);
    expect(s.queue.bodies.join('\n')).not.toMatch(/A-Very-Long-Token-Name-E2E/);
  });

  it('reads the audit trail back', async () => {
    const s = stack();
    await run(s, SAM, 'create mailtrap audited-e2e --reason audit-me');
    const r = await run(s, SAM, 'audit mailtrap --since 1d');
    expect(r.replies.join('\n')).toMatch(/audited-e2e|audit-me/);
  });

  it('creates a token from the modal, and shows field errors for bad values', async () => {
    const s = stack();
    const open = await s.standin.slashCommand({ user: ALICE, text: 'create' });
    expect(open.status).toBe(200);
    expect(s.standin.openViews(ALICE)).toHaveLength(1);
    const bad = await s.standin.submitView({
      user: ALICE,
      values: { target: 'mailtrap:default', name: 'modal-e2e', expires: 'yesterday' },
    });
    expect(JSON.stringify(bad.body)).toMatch(/expires/);
    const before = deliveredSecrets(s).length;
    const ok = await s.standin.submitView({
      user: ALICE,
      values: { target: 'mailtrap:default', name: 'modal-e2e', expires: '30d' },
    });
    expect(ok.status).toBe(200);
    await s.queue.drain();
    expect(deliveredSecrets(s).slice(before)).toHaveLength(1);
  });

  it('sends a paid-tier create for approval; a requester cannot approve it, another approver can', async () => {
    const s = stack();
    const before = deliveredSecrets(s).length;
    const r = await run(s, OLIVIA, 'create triton:prod big-e2e --tier tier3');
    expect(r.replies.join('\n')).toMatch(/needs approval/);
    expect(deliveredSecrets(s).length).toBe(before);
    await s.standin.clickButton({
      user: OLIVIA,
      actionId: 'approval_approve',
      channel: s.config.slack.approvalsChannel,
    });
    await s.queue.drain();
    expect(deliveredSecrets(s).length).toBe(before);
    expect(auditPosts(s).at(-1)).toMatch(/cannot approve or deny your own request/);
    await s.standin.clickButton({ user: SAM, actionId: 'approval_approve', channel: s.config.slack.approvalsChannel });
    await s.queue.drain();
    const delivered = deliveredSecrets(s).slice(before);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.user).toBe(OLIVIA);
    expect(auditPosts(s).some((p) => /approve/i.test(p))).toBe(true);
  });
});
