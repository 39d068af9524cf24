import { describe, expect, it } from 'vitest';
import {
  estimateBulkMs,
  etaMs,
  hasFilter,
  matchesSelection,
  progressBar,
  retryDelayS,
  selectionText,
  type BulkCandidate,
} from '../../../src/core/bulk.js';
import { parseCommand } from '../../../src/commands/grammar.js';
import { revokeCostOf } from '../../../src/providers/descriptors.js';

const token: BulkCandidate = {
  ref: 'mailtrap:default/1',
  provider: 'mailtrap',
  connection: 'default',
  name: 'CI deploy',
  owner: 'U0SAM',
  createdAt: '2026-03-01T00:00:00.000Z',
};

describe('bulk selection', () => {
  it('matches only when every given filter matches', () => {
    expect(matchesSelection(token, { owner: 'U0SAM', provider: 'mailtrap', name: 'ci' })).toBe(true);
    expect(matchesSelection(token, { owner: 'U0ALICE' })).toBe(false);
    expect(matchesSelection(token, { connection: 'prod' })).toBe(false);
    expect(matchesSelection(token, { createdBefore: '2026-03-01T00:00:00.000Z' })).toBe(false);
    expect(matchesSelection(token, { createdBefore: '2026-04-01T00:00:00.000Z' })).toBe(true);
  });

  it('leaves out a token whose creation time is unknown when a date is asked for', () => {
    expect(matchesSelection({ ...token, createdAt: undefined }, { createdBefore: '2030-01-01T00:00:00Z' })).toBe(false);
  });

  it('has no "everything": an empty selection has no filter', () => {
    expect(hasFilter({})).toBe(false);
    expect(hasFilter({ name: 'x' })).toBe(true);
  });

  it('is said back in the words it is typed', () => {
    expect(selectionText({ owner: 'U0SAM', provider: 'triton', connection: 'staging' })).toBe(
      '--owner <@U0SAM> --connection triton:staging',
    );
  });
});

describe('bulk estimates and progress', () => {
  it("estimates the slowest connection's time at its documented limits", () => {
    // 300 Mailtrap DELETEs at 150 / 10 s: 20 s; 60 Cobalt refreshes at 20 mutations / min: 3 min.
    expect(estimateBulkMs([{ provider: 'mailtrap', count: 300 }], revokeCostOf)).toBe(20_000);
    expect(
      estimateBulkMs(
        [
          { provider: 'mailtrap', count: 300 },
          { provider: 'cobalt', count: 60 },
        ],
        revokeCostOf,
      ),
    ).toBe(180_000);
    expect(estimateBulkMs([{ provider: 'triton', count: 1000 }], revokeCostOf)).toBe(0);
  });

  it('backs off 2, 4, 8 … s, at most a minute, never sooner than the provider asked', () => {
    expect([1, 2, 3, 9].map((a) => retryDelayS(a))).toEqual([2, 4, 8, 60]);
    expect(retryDelayS(1, 30_000)).toBe(30);
  });

  it('draws a bar and an ETA from the rate so far', () => {
    expect(progressBar(5, 10, 10)).toBe('▓▓▓▓▓░░░░░');
    expect(etaMs(0, 10, 0, 1000)).toBeUndefined();
    expect(etaMs(5, 10, 0, 1000)).toBe(1000);
  });
});

describe('bulk revoke grammar', () => {
  it('turns a selection into a bulk revoke, keeping the mentioned owner id', () => {
    const r = parseCommand('revoke --owner <@U0SAM|sam> --connection triton:staging --name ci --reason laptop stolen');
    expect(r.ok && r.command).toMatchObject({
      name: 'revoke_bulk',
      selection: { owner: 'U0SAM', provider: 'triton', connection: 'staging', name: 'ci' },
      reason: 'laptop stolen',
    });
  });

  it('names the right form for each mistake', () => {
    const err = (t: string) => {
      const r = parseCommand(t, new Date('2026-12-04T00:00:00Z'));
      return r.ok ? '' : `${r.error} ${r.usage}`;
    };
    expect(err('revoke --owner sam')).toMatch(/--owner takes a person/);
    expect(err('revoke --created-before 2027-12-01')).toMatch(/not in the future/);
    expect(err('revoke --provider mailtrap --connection triton:prod')).toMatch(/not a mailtrap connection/);
    expect(err('revoke --provider mailtrop')).toMatch(/did you mean mailtrap/);
    expect(err('revoke')).toMatch(/--owner @user/);
  });
});
