import { describe, expect, it } from 'vitest';
import { workerJobTimings } from '../../../bench/fixtures/worker-job.js';

// The create job's round trips, through the real worker, dynalite, the Mailtrap simulator and the
// Slack stand-in. Every request is held back 40 ms, so calls sent together overlap and calls sent one
// after another do not: the count of rounds is the job's structure, not a speed (nothing here is timed).

describe('a create job', () => {
  it('waits for at most 7 rounds of calls, its independent calls sent together', async () => {
    // Vector Charts: no documented rate limit, so no shared-limiter write before the provider call.
    const [first, second] = await workerJobTimings(2, 40, 'vectorcharts');
    if (!first || !second) throw new Error('no job ran');
    // claim | duplicate-name listing | audit | provider | secret | index + audit finish | reply + notice +
    // claim done. The duplicate-name listing (a second token with the same name asks first) costs a
    // round of its own: it must finish before anything is audited or minted.
    expect(second.rounds, second.sequence).toBeLessThanOrEqual(7);
    const rounds = second.sequence.split(' | ');
    expect(rounds.at(-2)?.split('+').sort()).toEqual(['PutItem', 'UpdateItem']);
    expect(rounds.at(-1)?.split('+').sort()).toEqual(['UpdateItem', 'chat.postMessage', 'response_url']);
    // On a cold worker the DM is opened alongside the authorization, not after the mint.
    const opened = first.sequence.split(' | ').find((r) => r.includes('conversations.open'));
    expect(opened?.split('+').length, first.sequence).toBeGreaterThan(1);
  });

  it("adds only the shared rate limiter's slot before a rate-limited provider call", async () => {
    const [, second] = await workerJobTimings(2, 40, 'mailtrap');
    // One limiter slot before each provider call: the duplicate-name listing and the create.
    expect(second?.rounds, second?.sequence).toBeLessThanOrEqual(9);
  });

  it('opens the requester DM once per container, not once per secret', async () => {
    const jobs = await workerJobTimings(3, 0);
    const opens = jobs.map((j) => j.sequence.split(/[ |+]+/).filter((c) => c === 'conversations.open').length);
    expect(opens).toEqual([1, 0, 0]);
  });
});
