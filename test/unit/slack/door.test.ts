import { describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../../src/local/slack-standin/index.js';
import { checkDoor, MAX_BODY_BYTES, type DoorEvent, type DoorOptions } from '../../../src/slack/door.js';
import type { Log } from '../../../src/core/ports.js';

const SECRET = 'door-test-signing-secret';
const NOW = 1_790_000_000_000;
const FORM = 'application/x-www-form-urlencoded';

function recordingLog(): Log & { lines: { level: string; m: string; e?: Record<string, unknown> }[] } {
  const lines: { level: string; m: string; e?: Record<string, unknown> }[] = [];
  return {
    lines,
    info: (m, e) => lines.push({ level: 'info', m, ...(e ? { e } : {}) }),
    warn: (m, e) => lines.push({ level: 'warn', m, ...(e ? { e } : {}) }),
    error: (m, e) => lines.push({ level: 'error', m, ...(e ? { e } : {}) }),
  };
}

const command = (extra: Record<string, string> = {}): string =>
  new URLSearchParams({
    command: '/token',
    text: 'list triton',
    user_id: 'U0ALICE',
    team_id: 'T0LOCAL01',
    channel_id: 'C0GENERAL',
    trigger_id: '1.2.abc',
    response_url: 'https://hooks.slack.com/commands/T0/1/x',
    api_app_id: 'A0TOKENOPS',
    ...extra,
  }).toString();

const interaction = (payload: unknown): string => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

const button = (over: Record<string, unknown> = {}) => ({
  type: 'block_actions',
  user: { id: 'U0SAM', team_id: 'T0LOCAL01' },
  team: { id: 'T0LOCAL01' },
  api_app_id: 'A0TOKENOPS',
  trigger_id: '1.2.def',
  response_url: 'https://hooks.slack.com/actions/T0/1/y',
  channel: { id: 'C0GENERAL' },
  actions: [{ action_id: 'revoke_confirm', value: '{"ref":"mailtrap/1"}' }],
  ...over,
});

/** A request as API Gateway hands it over; signed with `ts` (seconds) unless `sign` is false. */
function request(
  body: string,
  o: { type?: string; ts?: number; secret?: string; sign?: boolean; base64?: boolean } = {},
): DoorEvent {
  const ts = o.ts ?? Math.floor(NOW / 1000);
  const signed = o.sign === false ? {} : signSlackRequest(o.secret ?? SECRET, body, ts);
  return {
    headers: { 'content-type': o.type ?? FORM, ...signed },
    body: o.base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: !!o.base64,
  };
}

function door(event: DoorEvent, extra: Partial<DoorOptions> = {}) {
  const log = recordingLog();
  const verdict = checkDoor(event, { signingSecret: SECRET, now: () => NOW, log, ...extra });
  const status = verdict.pass ? 'pass' : verdict.response.statusCode;
  return { verdict, status, log };
}

describe('the ingress door', () => {
  it('lets a signed slash command through, with the content type Bolt matches exactly', () => {
    const { verdict } = door(request(command(), { type: 'application/x-www-form-urlencoded; charset=UTF-8' }));
    expect(verdict.pass).toBe(true);
    if (verdict.pass) expect(verdict.event.headers?.['content-type']).toBe(FORM);
  });

  it('refuses unsigned, wrongly signed and tampered requests with 401 and no WARN or ERROR line', () => {
    const tampered = request(command());
    tampered.body = command({ text: 'revoke mailtrap/1' });
    const cases = [
      request(command(), { sign: false }),
      request(command(), { secret: 'another-secret' }),
      tampered,
      {
        ...request(command()),
        headers: { 'content-type': FORM, 'x-slack-signature': 'v0=zz', 'x-slack-request-timestamp': '1' },
      },
      {
        ...request(command()),
        headers: { 'content-type': FORM, 'x-slack-signature': 'v1=abc', 'x-slack-request-timestamp': 'soon' },
      },
    ];
    for (const event of cases) {
      const { status, log } = door(event);
      expect(status).toBe(401);
      expect(log.lines.every((l) => l.level === 'info')).toBe(true);
    }
  });

  it('refuses a timestamp more than 5 minutes away from its clock, in either direction', () => {
    const now = Math.floor(NOW / 1000);
    expect(door(request(command(), { ts: now - 301 })).status).toBe(401);
    expect(door(request(command(), { ts: now + 301 })).status).toBe(401);
    expect(door(request(command(), { ts: now + 365 * 86400 })).status).toBe(401);
    expect(door(request(command(), { ts: now - 299 })).status).toBe('pass');
    expect(door(request(command(), { ts: now + 299 })).status).toBe('pass');
  });

  it('refuses bodies over the size limit before computing any signature', () => {
    const big = command({ text: 'x'.repeat(MAX_BODY_BYTES) });
    const { status, verdict } = door(request(big));
    expect(status).toBe(400);
    if (!verdict.pass) expect(verdict.response.body).toMatch(/too large/);
  });

  it('refuses content types Slack never sends, and non-UTF-8 charsets', () => {
    for (const type of [
      'text/plain',
      'multipart/form-data; boundary=x',
      '',
      'application/x-www-form-urlencoded; charset=latin1',
    ])
      expect(door(request(command(), { type })).status).toBe(400);
  });

  it('checks base64 bodies over their decoded bytes, and hands Bolt the decoded text', () => {
    const { verdict } = door(request(command({ text: 'create mailtrap “ci deploy”' }), { base64: true }));
    expect(verdict.pass).toBe(true);
    if (verdict.pass) {
      expect(verdict.event.isBase64Encoded).toBe(false);
      expect(verdict.event.body).toContain('api_app_id');
    }
  });

  it('refuses a body that is not UTF-8 with a 400', () => {
    const raw = Buffer.concat([Buffer.from('command=%2Ftoken&text='), Buffer.from([0xff, 0xfe])]);
    const event: DoorEvent = {
      headers: { 'content-type': FORM, ...signSlackRequest(SECRET, raw.toString('latin1'), NOW / 1000) },
      body: raw.toString('base64'),
      isBase64Encoded: true,
    };
    expect(door(event).status).toBe(400);
  });

  it("answers Slack's unsigned ssl_check probe with an empty 200, and nothing else", () => {
    const { verdict } = door(request('ssl_check=1&token=abc', { sign: false }));
    expect(verdict.pass).toBe(false);
    if (!verdict.pass) expect(verdict.response).toMatchObject({ statusCode: 200, body: '' });
    expect(door(request('ssl_check=0&token=abc', { sign: false })).status).toBe(401);
  });

  it.each([
    ['a JSON fragment', '{"type":', 'application/json'],
    ['an event callback', JSON.stringify({ type: 'event_callback', event: {} }), 'application/json'],
    ['payload=null', 'payload=null', FORM],
    ['a broken payload', 'payload=%7Bbroken', FORM],
    ['a payload of the wrong type', interaction({ type: 'shortcut', user: { id: 'U1' } }), FORM],
    ['a click without a user', interaction(button({ user: undefined })), FORM],
    ['a click without actions', interaction(button({ actions: [] })), FORM],
    ['a click with a numeric value', interaction(button({ actions: [{ action_id: 'x', value: 7 }] })), FORM],
    ['a click with a team that is a string', interaction(button({ team: 'T0' })), FORM],
    ['a submission without a view', interaction({ ...button(), type: 'view_submission', view: null }), FORM],
    [
      'a submission with a broken state',
      interaction({
        ...button(),
        type: 'view_submission',
        view: { id: 'V1', callback_id: 'c', state: { values: [] } },
      }),
      FORM,
    ],
    ['a command without a user', command({ user_id: '' }), FORM],
    ['a command with two texts', `${command()}&text=again`, FORM],
    ['neither command nor payload', 'hello=world', FORM],
  ])('refuses a signed request that is %s with a 400 and a WARN, never an ERROR', (_what, body, type) => {
    const { status, log } = door(request(body, { type }));
    expect(status).toBe(400);
    expect(log.lines.map((l) => l.level)).toEqual(['warn']);
  });

  it('lets well-formed interactions and the URL check through', () => {
    expect(door(request(interaction(button()))).status).toBe('pass');
    expect(door(request(interaction({ ...button(), team: null }))).status).toBe('pass');
    const submission = {
      ...button(),
      type: 'view_submission',
      view: { id: 'V1', callback_id: 'c', private_metadata: '', state: { values: { b: { a: { value: 'x' } } } } },
    };
    expect(door(request(interaction(submission))).status).toBe('pass');
    const check = JSON.stringify({ type: 'url_verification', challenge: 'c' });
    expect(door(request(check, { type: 'application/json' })).status).toBe('pass');
  });

  it('lets the subscribed app_home_opened event through, and refuses events tokenops does not subscribe to', () => {
    const event = (type: string, over: Record<string, unknown> = {}): string =>
      JSON.stringify({ type: 'event_callback', team_id: 'T1', event: { type, user: 'U1', tab: 'home' }, ...over });
    const json = { type: 'application/json' };
    expect(door(request(event('app_home_opened'), json)).status).toBe('pass');
    const other = door(request(event('message'), json));
    expect(other.status).toBe(400);
    expect(other.log.lines.map((l) => l.level)).toEqual(['warn']);
    expect(door(request(event('app_home_opened', { team_id: undefined }), json)).status).toBe(400);
  });

  it('pins the Slack app id when configured', () => {
    const pin = { appId: 'A0TOKENOPS' };
    expect(door(request(command()), pin).status).toBe('pass');
    expect(door(request(interaction(button())), pin).status).toBe('pass');
    const other = door(request(command({ api_app_id: 'A0OTHER' })), pin);
    expect(other.status).toBe(400);
    expect(other.log.lines.map((l) => l.level)).toEqual(['warn']);
    const bare = command().replace(/&api_app_id=[^&]*/, '');
    expect(door(request(bare), pin).status).toBe(400);
    expect(door(request(bare)).status).toBe('pass'); // no pin: not required
  });

  it('never writes the body, the signature or the secret to its log lines', () => {
    const { log } = door(request(command({ text: 'find very-secret-looking-value' }), { secret: 'nope' }));
    const text = JSON.stringify(log.lines);
    expect(text).not.toContain('very-secret');
    expect(text).not.toContain('v0=');
  });
});
