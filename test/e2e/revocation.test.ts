import { describe, expect, it } from 'vitest';
import type { LocalStack } from '../../src/local/stack.js';
import {
  ALICE,
  OLIVIA,
  SAM,
  auditPosts,
  click,
  deliveredSecrets,
  otherRefsIn,
  refsIn,
  run,
  useStack,
} from './harness.js';

/** The simulator of a provider (default connection, or triton:prod). */
const simOf = (s: LocalStack, provider: string) =>
  s.sims[provider === 'triton' ? 'triton:prod' : `${provider}:default`];

/** Stored audit records of the last minute. */
const recent = (s: LocalStack) => s.stores.audit.list({ since: new Date(Date.now() - 60_000).toISOString() });

/** Asks to revoke, clicks Revoke, and returns the worker's reply text. */
async function revokeConfirmed(s: LocalStack, user: string, ref: string, reason = 'e2e'): Promise<string> {
  const ask = await s.standin.slashCommand({ user, text: `revoke ${ref} --reason ${reason}` });
  expect(JSON.stringify(ask.body)).toMatch(/revoke_confirm/);
  return (await click(s, user, 'revoke_confirm')).join('\n');
}

describe('revocation you can trust, end to end (signed requests → worker → simulators)', () => {
  const stack = useStack();

  describe('never against itself', () => {
    it.each(['mailtrap', 'cobalt'])(
      "marks tokenops' own credential in the %s list, as the provider lists it",
      async (p) => {
        const r = await run(stack(), SAM, `list ${p}`);
        expect(r.replies.join('\n')).toMatch(/tokenops' own credential/);
      },
    );

    it('refuses a typed revoke of the configured own credential (Cobalt ownTokenId) before any confirmation', async () => {
      const s = stack();
      const own = String(
        (s.config.connections.find((c) => c.provider === 'cobalt') as { ownTokenId: string }).ownTokenId,
      );
      const before = simOf(s, 'cobalt')?.requests.length ?? 0;
      for (const verb of ['revoke', 'rotate']) {
        const r = await run(s, SAM, `${verb} cobalt/${own}`);
        expect(r.ack).toMatch(/tokenops' own credential.*README/);
        expect(r.ack).not.toMatch(/revoke_confirm/);
      }
      expect(simOf(s, 'cobalt')?.requests.length).toBe(before);
      expect(
        await simOf(s, 'cobalt')?.useSecret(
          (simOf(s, 'cobalt') as unknown as { managementToken: string }).managementToken,
        ),
      ).toBe(200);
    });

    it('refuses to revoke or rotate the Mailtrap own credential it found by lookup, before any provider change', async () => {
      const s = stack();
      const listed = (await run(s, SAM, 'list mailtrap')).replies.join('\n');
      const lines = listed.split('\n');
      const own = refsIn(lines[lines.findIndex((l) => /own credential/.test(l)) + 1] ?? '')[0] as string;
      expect(own).toBeTruthy();
      const text = await revokeConfirmed(s, SAM, own);
      expect(text).toMatch(/tokenops' own credential for mailtrap:default.*README/);
      expect((await run(s, SAM, `rotate ${own}`)).replies.join('\n')).toMatch(/own credential/);
      expect(simOf(s, 'mailtrap')?.requests.filter((q) => q.method !== 'GET')).toEqual([]);
      expect((await run(s, SAM, 'list mailtrap')).replies.join('\n')).not.toMatch(/HTTP 401/);
    });
  });

  describe('kill first', () => {
    it.each([
      ['mailtrap', ['DELETE']],
      ['triton', ['PUT']],
      ['cobalt', ['POST']],
      ['vaultoro', ['DELETE']],
      ['vectorcharts', ['GET', 'DELETE']],
    ] as const)('the first %s request after the click is the kill', async (p, expected) => {
      const s = stack();
      const listed = await run(s, SAM, `list ${p}`);
      const ref = otherRefsIn(listed.replies.join('\n')).at(-1) as string;
      const sim = simOf(s, p);
      const ask = await s.standin.slashCommand({ user: SAM, text: `revoke ${ref}` });
      expect(JSON.stringify(ask.body)).toMatch(/revoke_confirm/);
      const before = sim?.requests.length ?? 0;
      const done = await click(s, SAM, 'revoke_confirm');
      expect(done.join('\n')).toMatch(/Revoked/);
      const methods = (sim?.requests.slice(before) ?? []).map((q) => q.method).filter((m) => !/login/.test(m));
      expect(methods.slice(0, expected.length)).toEqual(expected);
    });
  });

  describe('honest outcomes', () => {
    it.each([
      ['mailtrap', 'mailtrap/2999999'],
      ['cobalt', 'cobalt/api_NoSuchTokenAtAll00000'],
      ['vaultoro', 'vaultoro/3f0c2a7e-1111-4c2d-9e8f-0000000000ff'],
      ['triton', 'triton:prod/00000000-0000-4000-8000-0000000000ff'],
      ['vectorcharts', 'vectorcharts/0123456789abcdef'],
    ])('a %s typo is never reported as revoked, and is audited as not_found', async (_p, ref) => {
      const s = stack();
      const text = await revokeConfirmed(s, SAM, ref);
      expect(text).toMatch(/Nothing was revoked/);
      expect(text).not.toMatch(/Revoked|already revoked/);
      const full = (await recent(s)).find((a) => a.action === 'revoke' && a.ref?.endsWith(ref.split('/')[1] as string));
      expect(full?.outcome).toBe('not_found');
      expect(auditPosts(s).some((p) => p.includes(ref.split('/')[1] as string) && /no such token/.test(p))).toBe(true);
    });

    it('a pasted Vector Charts secret with one character wrong is not found', async () => {
      const s = stack();
      const secret = (await s.sims['vectorcharts:default']?.seedToken('vc-typo'))?.secret as string;
      const typo = `${secret.slice(0, -1)}${secret.endsWith('0') ? '1' : '0'}`;
      const text = await revokeConfirmed(s, SAM, `vectorcharts/${typo}`);
      expect(text).toMatch(/Nothing was revoked/);
      expect(text).not.toContain(typo);
      expect(await s.sims['vectorcharts:default']?.useSecret(secret)).toBeLessThan(300);
    });

    it('a second revoke says tokenops already revoked it, by whom and when', async () => {
      const s = stack();
      await run(s, SAM, 'create mailtrap twice-e2e');
      const ref = refsIn((await run(s, SAM, 'find twice-e2e')).replies.join('\n'))[0] as string;
      expect(await revokeConfirmed(s, SAM, ref)).toMatch(/Revoked/);
      const again = await revokeConfirmed(s, SAM, ref);
      expect(again).toMatch(/already gone. tokenops revoked by <@U0SAM> at/);
      const records = (await recent(s)).filter((a) => a.action === 'revoke' && a.ref === ref);
      expect(records.map((r) => r.outcome).sort()).toEqual(['not_found', 'succeeded']);
    });
  });

  describe('revocation is final', () => {
    it('a Triton token revoked by tokenops shows "revoked" and cannot be activated again', async () => {
      const s = stack();
      const seeded = s.sims['triton:prod']?.seedToken('final-e2e') as { id: string; secret: string };
      const ref = `triton:prod/${seeded.id}`;
      expect(await revokeConfirmed(s, SAM, ref)).toMatch(/Revoked/);
      const shown = (await run(s, SAM, `show ${ref}`)).replies.join('\n');
      expect(shown).toMatch(/revoked by <@U0SAM>/);
      expect((await run(s, SAM, 'list triton:prod --name final-e2e')).replies.join('\n')).toMatch(/revoked/);
      const act = await run(s, SAM, `activate ${ref}`);
      expect(act.replies.join('\n')).toMatch(/Cannot activate .*revoked by <@U0SAM> at .*Create a new token instead/);
      expect(await s.sims['triton:prod']?.useSecret(seeded.secret)).toBeGreaterThanOrEqual(400);
      const refused = (await recent(s)).find((a) => a.action === 'activate' && a.ref === ref);
      expect(refused?.outcome).toBe('refused');
    });
  });

  describe('owner-scoped changes', () => {
    it('an engineer rotates her own token, but not someone else’s', async () => {
      const s = stack();
      await run(s, ALICE, 'create mailtrap alice-own-e2e');
      await run(s, SAM, 'create mailtrap sam-own-e2e');
      const mine = refsIn((await run(s, ALICE, 'find alice-own-e2e')).replies.join('\n'))[0] as string;
      const theirs = refsIn((await run(s, ALICE, 'find sam-own-e2e')).replies.join('\n'))[0] as string;
      expect((await run(s, ALICE, `rotate ${mine}`)).replies.join('\n')).toMatch(/Rotated/);
      const before = deliveredSecrets(s).length;
      const r = await run(s, ALICE, `rotate ${theirs}`);
      expect(r.replies.join('\n')).toMatch(/Not allowed: this token belongs to someone else \(minted for <@U0SAM>\)/);
      expect(deliveredSecrets(s).length).toBe(before);
    });

    it('a token tokenops did not mint has no owner: an engineer cannot rotate it', async () => {
      const s = stack();
      const ref = otherRefsIn((await run(s, ALICE, 'list mailtrap')).replies.join('\n'))[0] as string;
      const r = await run(s, ALICE, `rotate ${ref}`);
      expect(r.replies.join('\n')).toMatch(/did not mint this token.*`rotate:any`/);
    });

    it('a rotate of a gated tier needs approval, as a create does', async () => {
      const s = stack();
      const seeded = s.sims['triton:prod']?.seedToken('gated-e2e', { rate_tier: 'tier3' }) as { id: string };
      const r = await run(s, SAM, `rotate triton:prod/${seeded.id} --reason scheduled`);
      expect(r.replies.join('\n')).toMatch(/needs approval/);
      const before = deliveredSecrets(s).length;
      await s.standin.clickButton({
        user: OLIVIA,
        actionId: 'approval_approve',
        channel: s.config.slack.approvalsChannel,
      });
      await s.queue.drain();
      // Approved: the new secret goes to the requester (Sam), and the card says who decided.
      expect(
        deliveredSecrets(s)
          .slice(before)
          .map((d) => d.user),
      ).toEqual([SAM]);
      expect(JSON.stringify(s.standin.calls.filter((c) => c.method === 'chat.update'))).toMatch(/Approved by/);
      expect(auditPosts(s).some((p) => p.includes(seeded.id) && /rotate/i.test(p) && /succeeded/.test(p))).toBe(true);
    });

    it('limits tiers per role', async () => {
      const r = await run(stack(), ALICE, 'create triton:prod dedi-e2e --tier dedi');
      expect(r.replies.join('\n')).toMatch(/Not allowed: your roles may not create with tier `dedi`/);
    });
  });
});
