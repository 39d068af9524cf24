import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, rotateToken, toggleToken } from '../../../../src/commands/use-cases/change.js';
import type { Command } from '../../../../src/commands/command.js';
import type { Reply } from '../../../../src/commands/reply.js';
import { parseRef } from '../../../../src/providers/ref.js';
import { useDynamo } from '../../../support/dynamo.js';
import { contextFor, startSims, type Sims } from '../../../support/use-case.js';

type Create = Extract<Command, { name: 'create' }>;
const create = (over: Partial<Create> = {}): Create => ({
  name: 'create',
  target: { provider: 'mailtrap' },
  tokenName: `ci-${Math.random().toString(36).slice(2, 8)}`,
  ...over,
});
const noApproval = async (): Promise<Reply> => {
  throw new Error('no approval expected');
};

// The change use cases over real parts: dynalite for audit and index, simulators over loopback.
describe('change use cases', () => {
  const dynamo = useDynamo();
  let env: Sims;
  beforeAll(async () => {
    env = await startSims(['mailtrap:main', 'triton:prod', 'vaultoro:main']);
  });
  afterAll(async () => env?.close());
  const sim = (key: string) => env.sims.get(key)!;

  it('creates a token, delivers its secret once, remembers who minted it and audits the change', async () => {
    const stores = await dynamo.stores();
    const ctx = contextFor(stores, env.configs, 'U0ENG');
    const cmd = create();
    const reply = await createToken(ctx, cmd, noApproval);
    expect(reply).toMatchObject({ kind: 'secret_sent', action: 'created', tokenName: cmd.tokenName });
    expect(ctx.delivered).toHaveLength(1);
    const issued = ctx.delivered[0]!;
    expect(await sim('mailtrap:main').useSecret(issued.secret.reveal())).toBe(200);
    expect(JSON.stringify(reply)).not.toContain(issued.secret.reveal());
    expect((await stores.tokens.get(issued.summary.ref))?.owner).toBe('U0ENG');
    expect(ctx.audit.map((r) => [r.action, r.outcome])).toEqual([['create', 'succeeded']]);
  });

  it('asks before making a second token with the same name, and makes nothing', async () => {
    const stores = await dynamo.stores();
    sim('mailtrap:main').seedToken('twin');
    const before = sim('mailtrap:main').requests.filter((r) => r.method === 'POST').length;
    const reply = await createToken(
      contextFor(stores, env.configs, 'U0ENG'),
      create({ tokenName: 'twin' }),
      noApproval,
    );
    expect(reply).toMatchObject({ kind: 'duplicate_name', tokenName: 'twin', target: 'mailtrap:main' });
    expect(sim('mailtrap:main').requests.filter((r) => r.method === 'POST').length).toBe(before);
  });

  it('revokes the new token again when its secret cannot be delivered, and says so', async () => {
    const stores = await dynamo.stores();
    const ctx = contextFor(stores, env.configs, 'U0ENG', { deliveryFails: true });
    const cmd = create();
    await expect(createToken(ctx, cmd, noApproval)).rejects.toMatchObject({ code: 'delivery_failed' });
    const left = (await (await ctx.deps.registry.adapter('mailtrap')).list()).filter((t) => t.name === cmd.tokenName);
    expect(left).toEqual([]);
    expect(ctx.audit.map((r) => r.outcome)).toEqual(['undone']);
  });

  it('refuses to create where the provider cannot, saying where it can be done', async () => {
    const stores = await dynamo.stores();
    const reply = await createToken(
      contextFor(stores, env.configs, 'U0ENG'),
      create({ target: { provider: 'vaultoro' } }),
      noApproval,
    );
    expect(reply.kind).toBe('refused');
    expect(reply.kind === 'refused' && reply.message).toMatch(
      /^Vaultoro tokens cannot be created by tokenops: create them in the Vaultoro dashboard/,
    );
  });

  it('files a paid-tier create for approval instead of making it', async () => {
    const stores = await dynamo.stores();
    const asked: string[] = [];
    const reply = await createToken(
      contextFor(stores, env.configs, 'U0ENG'),
      create({ target: { provider: 'triton' }, tokenName: 'big-rpc', tier: 'tier3' }),
      async (summary) => {
        asked.push(summary);
        return { kind: 'refused', message: 'filed' };
      },
    );
    expect(reply).toEqual({ kind: 'refused', message: 'filed' });
    expect(asked).toEqual(['create triton:prod token "big-rpc" (tier tier3)']);
    expect(sim('triton:prod').requests.some((r) => r.method === 'POST')).toBe(false);
  });

  it('rotates a token: the new secret works, is delivered once, and the reply says what became of the old one', async () => {
    const stores = await dynamo.stores();
    const old = sim('triton:prod').seedToken('rotate-me');
    const ctx = contextFor(stores, env.configs, 'U0SEC');
    const reply = await rotateToken(ctx, parseRef(`triton:prod/${old.id}`), 'scheduled', noApproval);
    expect(reply).toMatchObject({ kind: 'secret_sent', action: 'rotated', tokenName: 'rotate-me' });
    expect(ctx.delivered).toHaveLength(1);
    expect(await sim('triton:prod').useSecret(ctx.delivered[0]!.secret.reveal())).toBe(200);
    expect(await sim('triton:prod').useSecret(old.secret)).not.toBe(200);
    expect(reply.kind === 'secret_sent' && reply.oldFate).toBe('the old token was deactivated');
    expect(await stores.tokens.revocation(`triton:prod/${old.id}`)).toBeDefined();
    expect(ctx.audit.map((r) => [r.action, r.outcome, r.ref])).toEqual([
      ['rotate', 'succeeded', `triton:prod/${old.id}`],
    ]);
  });

  it('will not rotate a token tokenops already revoked', async () => {
    const stores = await dynamo.stores();
    const t = sim('mailtrap:main').seedToken('gone');
    const ref = `mailtrap:main/${t.id}`;
    await stores.tokens.markRevoked({ ref, at: new Date().toISOString(), by: 'U0SEC', how: 'deleted' });
    const ctx = contextFor(stores, env.configs, 'U0SEC');
    const reply = await rotateToken(ctx, parseRef(ref), undefined, noApproval);
    expect(reply).toMatchObject({ kind: 'revoked_before', action: 'rotate', ref });
    expect(ctx.delivered).toEqual([]);
  });

  it('deactivates and reactivates a token where the provider can', async () => {
    const stores = await dynamo.stores();
    const t = sim('triton:prod').seedToken('pause-me');
    const ref = parseRef(`triton:prod/${t.id}`);
    const ctx = contextFor(stores, env.configs, 'U0SEC');
    expect(await toggleToken(ctx, 'deactivate', ref, 'incident')).toMatchObject({
      kind: 'change_done',
      action: 'deactivate',
    });
    expect(await sim('triton:prod').useSecret(t.secret)).not.toBe(200);
    expect(await toggleToken(ctx, 'activate', ref, undefined)).toMatchObject({
      kind: 'change_done',
      action: 'activate',
    });
    expect(await sim('triton:prod').useSecret(t.secret)).toBe(200);
  });
});
