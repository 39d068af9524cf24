import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTokens, listProviders, listTokens, showToken } from '../../../../src/commands/use-cases/read.js';
import { parseRef } from '../../../../src/providers/ref.js';
import { useDynamo } from '../../../support/dynamo.js';
import { contextFor, indexRecord, startSims, type Sims } from '../../../support/use-case.js';

// The read use cases over real parts: dynalite for the token index, the Mailtrap and Triton simulators
// over loopback for the providers.
describe('read use cases', () => {
  const dynamo = useDynamo();
  let env: Sims;
  beforeAll(async () => {
    env = await startSims(['mailtrap:main', 'triton:prod']);
  });
  afterAll(async () => env?.close());
  const sim = (key: string) => env.sims.get(key)!;

  it('lists every token of one provider, and with --mine only those the index says the caller minted', async () => {
    const stores = await dynamo.stores();
    const mine = sim('mailtrap:main').seedToken('deploy-bot');
    sim('mailtrap:main').seedToken('someone-elses');
    const ref = `mailtrap:main/${mine.id}`;
    await stores.tokens.put(
      indexRecord({
        ref,
        name: 'deploy-bot',
        owner: 'U0ENG',
      }),
    );
    const ctx = contextFor(stores, env.configs, 'U0ENG');
    const all = await listTokens(ctx, { provider: 'mailtrap' }, undefined, false);
    expect(all.kind).toBe('list');
    if (all.kind !== 'list') return;
    expect(all.tokens.map((t) => t.name)).toEqual(expect.arrayContaining(['deploy-bot', 'someone-elses']));
    expect(all.tokens.every((t) => t.provider === 'mailtrap')).toBe(true);
    const own = await listTokens(ctx, { provider: 'mailtrap' }, undefined, true);
    expect(own.kind === 'list' && own.tokens.map((t) => t.ref)).toEqual([ref]);
    const named = await listTokens(ctx, undefined, 'SOMEONE', false);
    expect(named.kind === 'list' && named.tokens.map((t) => t.name)).toEqual(['someone-elses']);
  });

  it('still lists the connections that answer when one is down, and names the one that did not', async () => {
    const stores = await dynamo.stores();
    sim('triton:prod').seedToken('rpc-reader');
    const heal = sim('mailtrap:main').inject({ fault: { kind: 'status', status: 503 } });
    try {
      const reply = await listTokens(contextFor(stores, env.configs, 'U0ENG'), undefined, undefined, false);
      expect(reply.kind).toBe('list');
      if (reply.kind !== 'list') return;
      expect(reply.tokens.some((t) => t.provider === 'triton' && t.name === 'rpc-reader')).toBe(true);
      expect(reply.tokens.some((t) => t.provider === 'mailtrap')).toBe(false);
      expect(reply.errors.map((e) => e.target)).toEqual(['mailtrap:main']);
    } finally {
      heal();
    }
  });

  it('finds a token by its last four characters across providers', async () => {
    const stores = await dynamo.stores();
    const seeded = sim('triton:prod').seedToken('find-me');
    const reply = await findTokens(contextFor(stores, env.configs, 'U0ENG'), seeded.secret.slice(-4));
    expect(reply.kind).toBe('find');
    if (reply.kind !== 'find') return;
    expect(reply.matches.map((m) => m.token.name)).toContain('find-me');
    expect(reply.partial).toBeUndefined();
    // The reply holds no secret: only its last 4 as the query.
    expect(JSON.stringify(reply)).not.toContain(seeded.secret);
  });

  it('answers a find from the index for a connection that is down, and says the answer is partial', async () => {
    const stores = await dynamo.stores();
    await stores.tokens.put(
      indexRecord({
        ref: 'mailtrap:main/424242',
        name: 'indexed-only',
        owner: 'U0ENG',
        last4: 'zz99',
      }),
    );
    const heal = sim('mailtrap:main').inject({ fault: { kind: 'status', status: 503 } });
    try {
      const reply = await findTokens(contextFor(stores, env.configs, 'U0ENG'), 'indexed-only');
      expect(reply.kind).toBe('find');
      if (reply.kind !== 'find') return;
      expect(reply.matches.map((m) => m.token.ref)).toEqual(['mailtrap:main/424242']);
      expect(reply.partial).toEqual({ targets: ['mailtrap:main'], indexed: 1 });
    } finally {
      heal();
    }
  });

  it('shows one token with its owner from the index', async () => {
    const stores = await dynamo.stores();
    const seeded = sim('mailtrap:main').seedToken('shown');
    const ref = `mailtrap:main/${seeded.id}`;
    await stores.tokens.put(
      indexRecord({
        ref,
        name: 'shown',
        owner: 'U0ENG2',
      }),
    );
    const reply = await showToken(contextFor(stores, env.configs, 'U0ENG'), parseRef(ref));
    expect(reply).toMatchObject({ kind: 'detail', token: { ref, name: 'shown' }, owner: 'U0ENG2' });
  });

  it('refuses someone the policy does not know before any provider call', async () => {
    const stores = await dynamo.stores();
    const ctx = contextFor(stores, env.configs, 'U0STRANGER');
    const before = sim('mailtrap:main').requests.length;
    await expect(listTokens(ctx, { provider: 'mailtrap' }, undefined, false)).rejects.toMatchObject({ code: 'denied' });
    expect(sim('mailtrap:main').requests.length).toBe(before);
  });

  it('lists the configured connections with what each provider can do', async () => {
    const stores = await dynamo.stores();
    const reply = await listProviders(contextFor(stores, env.configs, 'U0ENG'));
    expect(reply.kind).toBe('providers');
    if (reply.kind !== 'providers') return;
    expect(reply.infos.map((i) => `${i.provider}:${i.connection}`)).toEqual(['mailtrap:main', 'triton:prod']);
    const triton = reply.infos.find((i) => i.provider === 'triton');
    expect(triton?.capabilities.revoke).toMatchObject({ mode: 'emulated' });
  });
});
