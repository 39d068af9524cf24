import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it, type TestContext } from 'vitest';
import { RateLimitedError, UnsupportedError } from '../../src/core/errors.js';
import type { Action, IssuedToken, ProviderAdapter } from '../../src/core/token.js';
import type { Fault, ProviderSimulator } from '../../src/local/simulators/base.js';
import type { ContractPair } from './target.js';
import { TARGETS } from './targets/index.js';
import { caught, errorText } from '../support/errors.js';
import { LIVE_NAME, LiveLedger } from './live.js';

const MUTATING = /POST|PUT|DELETE|PATCH/;

describe.each(TARGETS.map((t) => [t.label ?? t.provider, t] as const))('%s adapter contract', (_name, target) => {
  let pair: ContractPair;
  let adapter: ProviderAdapter;
  let sim: ProviderSimulator | undefined;
  const ledger = new LiveLedger(target.provider);

  beforeAll(async () => {
    pair = await target.start();
    adapter = pair.adapter;
    sim = pair.sim;
  });
  afterAll(async () => {
    if (pair && !sim) console.warn(ledger.report(await cleanUp()));
    await pair?.stop();
  });
  beforeEach(() => sim?.clearFaults());

  const can = (action: Action): boolean => adapter.capabilities[action].mode !== 'unsupported';
  /** Skips the case when the adapter lacks the action (capability-gated cases). */
  const needs = (ctx: TestContext, ...actions: Action[]): void => {
    if (!actions.every(can)) ctx.skip();
  };
  /** Skips a case in live mode with the reason printed at the end of the run. */
  const liveSkip = (ctx: TestContext, reason: string): never => {
    ledger.skip(ctx.task.name, reason);
    return ctx.skip() as never;
  };
  /** Skips the case in live mode, where faults cannot be injected nor provider state seeded. */
  const needsSim = (ctx: TestContext, why = 'injects faults, which a real account cannot'): ProviderSimulator =>
    sim ?? liveSkip(ctx, why);
  /** Token names: one per case against the simulator, the run's single live name against an account. */
  const nameFor = (what: string): string => (sim ? `contract-${what}` : LIVE_NAME);

  /**
   * A token to act on: created through the adapter where it can (and remembered for clean-up), else
   * seeded in the simulator, else (live) one of the hand-made disposable tokens of the live config.
   */
  async function freshToken(ctx: TestContext, what: string): Promise<{ id: string; secret: string }> {
    if (can('create')) {
      const issued = await adapter.create({ ...target.createInput, name: nameFor(what) });
      ledger.create(issued.summary.id, what);
      return { id: issued.summary.id, secret: issued.secret.reveal() };
    }
    if (sim) return sim.seedToken(nameFor(what));
    const t = await pair.disposable?.();
    if (!t)
      return liveSkip(ctx, `${target.provider} cannot create tokens over its API and no disposable token is left`);
    if (target.provider === 'vaultoro') ledger.create(t.id, `disposable, ${what}`);
    return t;
  }

  /** Whether a secret works, asked the way its owner would use it (skips live runs without a probe). */
  async function works(ctx: TestContext, secret: string): Promise<boolean> {
    if (!pair.useSecret) return liveSkip(ctx, 'the live config has no probe setting (live.rpcUrl or live.probeUrl)');
    const status = await pair.useSecret(secret);
    return status >= 200 && status < 300;
  }

  /** Live mode: revoke (delete or deactivate) every token the run created, even after failures; returns leftovers. */
  async function cleanUp(): Promise<string[]> {
    for (const id of ledger.created.keys()) {
      const done = await adapter.revoke(id, { reason: 'tokenops live contract run' }).then(
        () => true,
        () => false,
      );
      if (done) ledger.removed.add(id);
    }
    const listed = await adapter.list().catch(() => []);
    return listed.filter((t) => ledger.created.has(t.id) && t.active).map((t) => t.id);
  }

  describe('capabilities', () => {
    it('declares every action, with how/where text for emulated and unsupported ones', () => {
      expect(Object.keys(adapter.capabilities).sort()).toEqual(
        ['activate', 'create', 'deactivate', 'get', 'list', 'revoke', 'rotate'].sort(),
      );
      for (const [action, support] of Object.entries(adapter.capabilities)) {
        if (support.mode === 'emulated') expect(support.how, action).toMatch(/\w{4}/);
        if (support.mode === 'unsupported') expect(support.where, action).toMatch(/\w{4}/);
      }
      expect(adapter.capabilities.list.mode).toBe('native');
      expect(adapter.capabilities.revoke.mode).not.toBe('unsupported');
    });

    it('fails unsupported actions with an error that says where to do them', async (ctx) => {
      const missing = (['create', 'rotate', 'activate', 'deactivate'] as const).filter((a) => !can(a));
      if (missing.length === 0) ctx.skip();
      const { id } = await freshToken(ctx, 'unsupported');
      for (const action of missing) {
        const call = action === 'create' ? adapter.create(target.createInput) : adapter[action](id);
        const err = await caught(call);
        expect(err, action).toBeInstanceOf(UnsupportedError);
        expect(err.message).toContain((err as UnsupportedError).where);
      }
    });
  });

  describe('list', () => {
    it('returns the tokens with REFs of this connection and no secret anywhere', async (ctx) => {
      const a = await freshToken(ctx, 'list');
      const listed = await adapter.list();
      const found = listed.find((t) => t.id === a.id);
      expect(found?.ref).toBe(`${target.provider}:${adapter.connection}/${a.id}`);
      // A hand-made disposable token (live, no create API) keeps the name its maker gave it.
      if (sim || can('create')) expect(found?.name === '' || found?.name.startsWith(nameFor('list'))).toBe(true);
      else expect(found).toBeDefined();
      expect(JSON.stringify(listed)).not.toContain(a.secret);
      for (const t of listed) expect(t.provider).toBe(target.provider);
    });

    it('walks every page', async (ctx) => {
      if (target.pageSize === 0) ctx.skip();
      if (!sim && !can('create')) {
        // Nothing can be made here: walk what the account has, which must span pages to prove anything.
        const all = await adapter.list();
        if (all.length <= target.pageSize) liveSkip(ctx, 'the account has too few tokens to fill two pages');
        expect(new Set(all.map((t) => t.id)).size).toBe(all.length);
        return;
      }
      const before = (await adapter.list()).length;
      const n = target.pageSize * 2 + 1;
      for (let i = 0; i < n; i++) await freshToken(ctx, `page-${i}`);
      const after = await adapter.list();
      expect(after.length).toBe(before + n);
      expect(new Set(after.map((t) => t.id)).size).toBe(after.length);
    });

    it('makes bidi overrides and NUL in provider-side names visible at the adapter boundary', async (ctx) => {
      const s = needsSim(ctx, 'seeds a token name at the provider, which a live run must not do');
      const t = s.seedToken('evil\u202Egnp.exe\u0000');
      const found = (await adapter.list()).find((x) => x.id === t.id);
      expect(found).toBeDefined();
      expect(found?.name).not.toContain('\u0000');
      expect(found?.name).not.toContain('\u202E');
      if (found?.name) expect(found.name).toBe('evil\uFFFDgnp.exe\uFFFD');
    });

    it('rejects wrong credentials with an auth error', async () => {
      const err = await caught(pair.adapterWithBadCredentials().list());
      expect(err.code).toBe('auth');
    });
  });

  describe('get', () => {
    it('finds a token by its REF id, and says not_found for an unknown one', async (ctx) => {
      const a = await freshToken(ctx, 'get');
      const got = await adapter.get(a.id);
      expect(got.id).toBe(a.id);
      expect(JSON.stringify(got)).not.toContain(a.secret);
      const err = await caught(adapter.get(`${a.id.slice(0, -3)}zzz`));
      expect(err.code).toBe('not_found');
    });
  });

  describe('create', () => {
    it('returns a working secret exactly once, apart from the summary', async (ctx) => {
      needs(ctx, 'create');
      const issued: IssuedToken = await adapter.create({ ...target.createInput, name: nameFor('create') });
      ledger.create(issued.summary.id, 'create');
      const secret = issued.secret.reveal();
      expect(secret.length).toBeGreaterThanOrEqual(8);
      expect(JSON.stringify(issued)).not.toContain(secret);
      expect(inspect(issued, { depth: 9 })).not.toContain(secret);
      expect(issued.summary.last4).toBe(secret.slice(-4));
      expect(await works(ctx, secret)).toBe(true);
      const listed = await adapter.list();
      expect(listed.some((t) => t.id === issued.summary.id)).toBe(true);
      expect(JSON.stringify(listed)).not.toContain(secret);
    });

    it('is never retried, so a failure cannot mint a duplicate', async (ctx) => {
      needs(ctx, 'create');
      const s = needsSim(ctx);
      s.inject({ fault: { kind: 'status', status: 503 }, method: 'POST', times: 1 });
      const posts = (): number => s.requests.filter((r) => r.method === 'POST').length;
      const before = posts();
      const err = await caught(adapter.create({ ...target.createInput, name: nameFor('no-dup') }));
      expect(err.code).toBe('provider_unavailable');
      expect(posts() - before).toBe(1);
    });
  });

  describe('revoke', () => {
    it('makes the secret stop working, and says how', async (ctx) => {
      const t = await freshToken(ctx, 'revoke');
      expect(await works(ctx, t.secret)).toBe(true);
      const result = await adapter.revoke(t.id, { reason: 'contract test' });
      expect(['deleted', 'deactivated', 'refreshed_and_discarded']).toContain(result.method);
      expect(await works(ctx, t.secret)).toBe(false);
    });

    it('kills first: the first request is the kill (Vector Charts: one listing resolves its hashed REF)', async (ctx) => {
      const s = needsSim(ctx);
      const t = await freshToken(ctx, 'kill-first');
      const before = s.requests.length;
      await adapter.revoke(t.id);
      const sent = s.requests.slice(before).map((r) => r.method);
      const expected = target.provider === 'vectorcharts' ? ['GET', 'DELETE'] : [];
      if (expected.length > 0) expect(sent).toEqual(expected);
      else expect(sent).toEqual([sent[0]]);
      expect(sent.at(-1)).toMatch(MUTATING);
    });

    it('is honest: a second revoke of the same token is not_found, never a success', async (ctx) => {
      const t = await freshToken(ctx, 'revoke-twice');
      await adapter.revoke(t.id);
      // Triton can only deactivate and Cobalt only refresh: the token still exists, and a repeat is harmless.
      if (target.provider === 'triton' || target.provider === 'cobalt') return void (await adapter.revoke(t.id));
      expect((await caught(adapter.revoke(t.id))).code).toBe('not_found');
    });

    it('is honest: an id the provider does not know is not_found, and names the connection', async () => {
      const typo = target.unknownId;
      const err = await caught(adapter.revoke(typo));
      expect(err.code).toBe('not_found');
      expect(err.message).toContain(`${target.provider}:`);
    });
  });

  describe('own credential', () => {
    it('names the connection credential among listed tokens, or says why it is never listed', async () => {
      const own = await adapter.ownCredential();
      if (own.ids.length === 0) {
        expect(own.note).toMatch(/never|not/);
        return;
      }
      const listed = await adapter.list();
      for (const id of own.ids) expect(listed.map((t) => t.id)).toContain(id);
    });
  });

  describe('rotate', () => {
    it('yields a working new secret and the documented fate of the old one', async (ctx) => {
      needs(ctx, 'rotate');
      const t = await freshToken(ctx, 'rotate');
      const delivered: string[] = [];
      const result = await adapter.rotate(t.id, {
        deliver: async (issued) => {
          delivered.push(issued.secret.reveal());
        },
      });
      const fresh = result.issued.secret.reveal();
      if (can('create')) ledger.create(result.issued.summary.id, 'rotate (new token)');
      expect(delivered).toEqual([fresh]);
      expect(fresh).not.toBe(t.secret);
      expect(JSON.stringify(result)).not.toContain(fresh);
      expect(await works(ctx, fresh)).toBe(true);
      const oldWorks = await works(ctx, t.secret);
      // A refused native rotate falls back to create + delete (Mailtrap's literal reset rule): the old one dies.
      if (target.oldSecretAfterRotate === 'dies' || result.fallback !== undefined) {
        expect(['deleted', 'deactivated', 'dead_immediately']).toContain(result.old.fate);
        expect(oldWorks).toBe(false);
      } else {
        expect(result.old.fate).toBe('expires_later');
        expect(oldWorks).toBe(true);
      }
    });

    it('revokes the new token when delivery fails, and rethrows', async (ctx) => {
      needs(ctx, 'rotate');
      const t = await freshToken(ctx, 'rotate-undelivered');
      let fresh = '';
      const boom = new Error('slack is down');
      await expect(
        adapter.rotate(t.id, {
          deliver: async (issued) => {
            fresh = issued.secret.reveal();
            throw boom;
          },
        }),
      ).rejects.toBe(boom);
      expect(fresh).not.toBe('');
      expect(await works(ctx, fresh)).toBe(false);
      // Where the old token is retired only after delivery (emulated rotate), it still works.
      if (adapter.capabilities.rotate.mode === 'emulated') expect(await works(ctx, t.secret)).toBe(true);
    });
  });

  describe('activate and deactivate', () => {
    it('deactivate stops the secret and activate brings it back', async (ctx) => {
      needs(ctx, 'activate', 'deactivate');
      const t = await freshToken(ctx, 'toggle');
      const off = await adapter.deactivate(t.id, { reason: 'contract test' });
      expect(off.active).toBe(false);
      expect(await works(ctx, t.secret)).toBe(false);
      const on = await adapter.activate(t.id);
      expect(on.active).toBe(true);
      expect(await works(ctx, t.secret)).toBe(true);
    });
  });

  describe('faults', () => {
    const cases: [string, Fault, string][] = [
      ['a persistent 500', { kind: 'status', status: 500 }, 'provider_unavailable'],
      ['an HTML error page', { kind: 'html', status: 502 }, 'provider_unavailable'],
      ['malformed JSON', { kind: 'bad_json' }, 'unexpected_response'],
      ['a body of the wrong schema', { kind: 'wrong_schema' }, 'unexpected_response'],
      ['a reset connection', { kind: 'reset' }, 'provider_unavailable'],
      ['a 403', { kind: 'status', status: 403, body: { error: 'forbidden' } }, 'forbidden'],
    ];
    it.for(cases)('maps %s on list to %s', async ([, fault, code], ctx) => {
      const s = needsSim(ctx);
      s.inject({ fault, method: 'GET' });
      const err = await caught(adapter.list());
      expect(err.code).toBe(code);
      expect(err.provider).toBe(target.provider);
    });

    it('retries a transient 503 on an idempotent call and succeeds', async (ctx) => {
      const s = needsSim(ctx);
      s.inject({ fault: { kind: 'status', status: 503 }, method: 'GET', times: 1 });
      await expect(adapter.list()).resolves.toBeInstanceOf(Array);
    });

    it('honours a short Retry-After on 429 and 509', async (ctx) => {
      const s = needsSim(ctx);
      s.inject({ fault: { kind: 'rate_limit', status: 429, retryAfter: '0' }, method: 'GET', times: 1 });
      s.inject({ fault: { kind: 'rate_limit', status: 509, retryAfter: '0' }, method: 'GET', times: 1 });
      await expect(adapter.list()).resolves.toBeInstanceOf(Array);
    });

    it('gives up on a long Retry-After with a rate_limited error that carries it', async (ctx) => {
      const s = needsSim(ctx);
      s.inject({ fault: { kind: 'rate_limit', status: 429, retryAfter: '120' }, method: 'GET' });
      const err = await caught(adapter.list());
      expect(err).toBeInstanceOf(RateLimitedError);
      expect((err as RateLimitedError).retryAfterMs).toBe(120_000);
    });

    it('bounds retries: a provider that keeps failing gets at most 3 attempts', async (ctx) => {
      const s = needsSim(ctx);
      s.inject({ fault: { kind: 'status', status: 503 }, method: 'GET' });
      const before = s.requests.length;
      await caught(adapter.list());
      expect(s.requests.length - before).toBeLessThanOrEqual(3);
    });

    it('times out a provider that does not answer', async (ctx) => {
      const s = needsSim(ctx);
      s.inject({ fault: { kind: 'latency', ms: 1_500 }, method: 'GET' });
      const fast = pair.adapterWithTimeout?.(200);
      if (!fast) ctx.skip();
      const err = await caught((fast as ProviderAdapter).list());
      expect(err.code).toBe('provider_unavailable');
    });
  });

  describe('secrets in errors', () => {
    it('never puts a secret into an error, whatever fails', async (ctx) => {
      const s = needsSim(ctx);
      const canary = await freshToken(ctx, 'canary');
      const errors: unknown[] = [];
      const faults: Fault[] = [
        { kind: 'status', status: 500, body: { error: `boom ${canary.secret}` } },
        { kind: 'status', status: 422, body: { errors: { base: [`bad ${canary.secret}`] } } },
        { kind: 'bad_json' },
        { kind: 'wrong_schema' },
        { kind: 'reset' },
      ];
      for (const fault of faults) {
        s.clearFaults();
        s.inject({ fault, method: 'DELETE' });
        s.inject({ fault, method: 'PUT' });
        s.inject({ fault, method: 'POST' });
        const calls = [() => adapter.revoke(canary.id), ...(can('rotate') ? [() => adapter.rotate(canary.id)] : [])];
        for (const call of calls) await call().catch((e: unknown) => errors.push(e));
      }
      expect(errors.length).toBeGreaterThan(0);
      for (const e of errors) expect(errorText(e)).not.toContain(canary.secret);
      expect(s.requests.filter((r) => MUTATING.test(r.method)).length).toBeGreaterThan(0);
    });
  });
});
