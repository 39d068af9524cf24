import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { LOCAL } from '../../src/local/demo.js';
import { signSlackRequest } from '../../src/local/slack-standin/index.js';
import type { DoorEvent } from '../../src/slack/door.js';
import { useIngress } from '../support/ingress.js';

// The real ingress handler (door, Bolt, listeners) fed random requests. Unsigned ones must all be
// turned away with a 4xx and at most an INFO line; signed ones of the wrong shape with a 400 and a
// WARN. Never a 500, never an ERROR line, never a job.

const FORM = 'application/x-www-form-urlencoded';
const nowS = (): number => Math.floor(Date.now() / 1000);

const contentType = fc.oneof(
  fc.constantFrom(FORM, `${FORM}; charset=utf-8`, 'application/json', 'text/plain', 'multipart/form-data', ''),
  fc.string({ maxLength: 40 }),
);

/** Bodies of every kind: text, JSON, forms with random fields, broken payloads, binary. */
const junkBody = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json({ maxDepth: 3 }),
  fc
    .dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 30 }), { maxKeys: 6 })
    .map((d) => new URLSearchParams(d).toString()),
  fc.json({ maxDepth: 3 }).map((j) => `payload=${encodeURIComponent(j)}`),
  fc.string({ maxLength: 80 }).map((s) => `payload=${s}`),
  fc.constantFrom('{"type":', 'payload=null', 'payload=%7Bbroken', 'payload=', 'command=', 'ssl_check'),
);

/** Slash command fields, and interaction payloads, each with one required part broken. */
const COMMAND = {
  command: '/token',
  text: 'list mailtrap',
  user_id: 'U0ALICE',
  team_id: LOCAL.teamId,
  channel_id: 'C0GENERAL',
  trigger_id: '1.2.fuzz',
  response_url: 'http://127.0.0.1:9/response/x',
};
const broken = fc.constantFrom<unknown>(undefined, null, '', 0, 42, true, [], {}, ['x'], { id: 7 });

const brokenCommand = fc
  .record({
    field: fc.constantFrom('command', 'user_id', 'team_id', 'channel_id', 'trigger_id', 'response_url'),
    how: fc.constantFrom('drop', 'empty', 'twice'),
  })
  .map(({ field, how }) => {
    const form = new URLSearchParams(COMMAND);
    if (how === 'drop') form.delete(field);
    if (how === 'empty') form.set(field, '');
    if (how === 'twice') form.append(field, 'again');
    return form.toString();
  });

const BUTTON = {
  type: 'block_actions',
  user: { id: 'U0SAM', team_id: LOCAL.teamId },
  team: { id: LOCAL.teamId },
  trigger_id: '1.2.fuzz',
  response_url: 'http://127.0.0.1:9/response/y',
  channel: { id: 'C0GENERAL' },
  actions: [{ action_id: 'revoke_confirm', value: '{"ref":"mailtrap/1"}' }],
};
const SUBMISSION = {
  type: 'view_submission',
  user: BUTTON.user,
  team: BUTTON.team,
  trigger_id: '1.2.fuzz',
  view: { id: 'V1', callback_id: 'create_token', private_metadata: '{}', state: { values: {} } },
};

const brokenPayload = fc
  .oneof(
    fc.record({
      base: fc.constant(BUTTON as Record<string, unknown>),
      key: fc.constantFrom('user', 'actions', 'trigger_id', 'type'),
      value: broken,
    }),
    fc.record({
      base: fc.constant(SUBMISSION as Record<string, unknown>),
      key: fc.constantFrom('user', 'view', 'trigger_id', 'type'),
      value: broken,
    }),
  )
  .map(({ base, key, value }) => `payload=${encodeURIComponent(JSON.stringify({ ...base, [key]: value }))}`);

/** Random headers: missing, garbage, a valid-looking signature over something else, any timestamp. */
const junkHeaders = fc.record(
  {
    'x-slack-signature': fc.oneof(
      fc.string({ maxLength: 70 }),
      fc.stringMatching(/^v0=[0-9a-f]{64}$/),
      fc.constant('v0='),
    ),
    'x-slack-request-timestamp': fc.oneof(
      fc.string({ maxLength: 14 }),
      fc.integer({ min: -1e10, max: 1e11 }).map(String),
      fc.constant(String(nowS())),
    ),
    'x-slack-retry-num': fc.string({ maxLength: 3 }),
  },
  { requiredKeys: [] },
);

describe('the ingress door under fuzzing', () => {
  const ingress = useIngress();
  let consoleError: MockInstance;
  beforeEach(() => {
    consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => consoleError.mockRestore());

  const expectNoErrorLines = (): void => {
    const t = ingress();
    expect(t.log.lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(t.boltErrors).toEqual([]);
    expect(consoleError).not.toHaveBeenCalled();
  };

  it('turns away unsigned junk with a 4xx (or an empty 200 for ssl_check), and queues nothing', async () => {
    const t = ingress();
    await fc.assert(
      fc.asyncProperty(junkBody, contentType, junkHeaders, fc.boolean(), async (body, type, headers, b64) => {
        const event: DoorEvent = {
          headers: { ...(type ? { 'content-type': type } : {}), ...headers },
          body: b64 ? Buffer.from(body).toString('base64') : body,
          isBase64Encoded: b64,
        };
        const res = await t.handler(event);
        const sslCheck = res.statusCode === 200 && res.body === '';
        expect(sslCheck || [400, 401].includes(res.statusCode)).toBe(true);
        expect(t.jobs).toEqual([]);
        expect(t.log.lines.every((l) => l.level === 'info')).toBe(true);
      }),
      { numRuns: 400 },
    );
    expectNoErrorLines();
  });

  it('answers signed junk and signed payloads of the wrong shape with a 400 and a WARN, and queues nothing', async () => {
    const t = ingress();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(junkBody, brokenCommand, brokenPayload),
        fc.constantFrom(FORM, `${FORM}; charset=utf-8`, 'application/json'),
        fc.integer({ min: -290, max: 290 }),
        async (body, type, skew) => {
          const before = t.log.lines.length;
          const event: DoorEvent = {
            headers: { 'content-type': type, ...signSlackRequest(LOCAL.signingSecret, body, nowS() + skew) },
            body,
          };
          const res = await t.handler(event);
          // An `ssl_check=1` form is Slack's probe and gets its empty 200 before any signature check.
          if (res.statusCode === 200 && res.body === '') return;
          expect(res.statusCode).toBe(400);
          expect(t.jobs).toEqual([]);
          expect(t.log.lines.slice(before).map((l) => l.level)).toEqual(['warn']);
        },
      ),
      { numRuns: 400 },
    );
    expectNoErrorLines();
  });

  it('acks every signed, well-formed command whatever its text, never with a 500', async () => {
    const t = ingress();
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 120 }), async (text) => {
        const body = new URLSearchParams({ ...COMMAND, text }).toString();
        const res = await t.handler({
          headers: { 'content-type': FORM, ...signSlackRequest(LOCAL.signingSecret, body) },
          body,
        });
        expect(res.statusCode).toBe(200);
      }),
      { numRuns: 300 },
    );
    expectNoErrorLines();
  });
});
