import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signSlackRequest, startSlackStandin, type SlackStandin } from '../../../src/local/slack-standin/index.js';

const SECRET = 'test-signing-secret';
const TOKEN = 'xoxb-standin-test';
const ALICE = 'U0ALICE';
const BOB = 'U0BOB';
const GENERAL = 'C0GENERAL';
const AUDIT = 'C0AUDIT';

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  form: URLSearchParams;
  payload: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  signatureOk: boolean;
}

/** A tiny bot: checks Slack's signature itself (independent HMAC) and answers with `reply`. */
async function fakeBot() {
  const received: Received[] = [];
  const bot = {
    received,
    reply: (_r: Received): { status: number; body?: unknown } => ({ status: 200 }),
    url: '',
    server: undefined as Server | undefined,
  };
  bot.server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const ts = String(req.headers['x-slack-request-timestamp']);
      const expected = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${raw}`).digest('hex')}`;
      const form = new URLSearchParams(raw);
      const payload = form.has('payload') ? JSON.parse(form.get('payload')!) : Object.fromEntries(form);
      const r = {
        headers: req.headers,
        raw,
        form,
        payload,
        signatureOk: expected === req.headers['x-slack-signature'],
      };
      received.push(r);
      const { status, body } = r.signatureOk ? bot.reply(r) : { status: 401, body: undefined };
      if (body === undefined) return void res.writeHead(status).end();
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => bot.server!.listen(0, '127.0.0.1', resolve));
  bot.url = `http://127.0.0.1:${(bot.server.address() as AddressInfo).port}/slack/events`;
  return bot;
}

interface ConsoleState {
  channels: { id: string; kind: string }[];
  messages: { text: string }[];
}

let clock = Date.now();
let standin: SlackStandin;
let bot: Awaited<ReturnType<typeof fakeBot>>;

beforeEach(async () => {
  clock = Date.now();
  bot = await fakeBot();
  standin = await startSlackStandin({
    signingSecret: SECRET,
    botToken: TOKEN,
    teamId: 'T0TEAM',
    botUserId: 'U0BOT',
    botId: 'B0BOT',
    requestUrl: bot.url,
    users: [
      { id: ALICE, name: 'alice', groups: ['S0SECURITY'] },
      { id: BOB, name: 'bob', isRestricted: true, teamId: 'T0OTHER', isStranger: true },
    ],
    channels: [
      { id: GENERAL, name: 'general' },
      { id: AUDIT, name: 'token-audit' },
    ],
    auditChannel: AUDIT,
    now: () => clock,
  });
});

afterEach(async () => {
  await standin.close();
  await new Promise((resolve) => bot.server!.close(resolve));
});

async function api(method: string, args: Record<string, unknown>, token: string | null = TOKEN) {
  const res = await fetch(`${standin.apiUrl}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(args),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const web = () => new WebClient(TOKEN, { slackApiUrl: standin.apiUrl, retryConfig: { retries: 0 } });
const buttons = (...ids: string[]) => [
  { type: 'section', text: { type: 'mrkdwn', text: 'Revoke it?' } },
  {
    type: 'actions',
    block_id: 'act',
    elements: ids.map((id) => ({
      type: 'button',
      action_id: id,
      text: { type: 'plain_text', text: id },
      value: `v-${id}`,
    })),
  },
];

describe('Web API', () => {
  it('refuses calls without the bot token, as Slack does', async () => {
    expect((await api('auth.test', {}, null)).body).toEqual({ ok: false, error: 'not_authed' });
    expect((await api('auth.test', {}, 'xoxb-wrong')).body).toEqual({ ok: false, error: 'invalid_auth' });
    const ok = await api('auth.test', {});
    expect(ok.body).toMatchObject({ ok: true, team_id: 'T0TEAM', user_id: 'U0BOT', bot_id: 'B0BOT' });
    expect(standin.calls.map((c) => c.ok)).toEqual([false, false, true]);
  });

  it("decodes Bolt's form-encoded bodies, JSON-valued fields included", async () => {
    const dm = await web().conversations.open({ users: ALICE });
    expect(dm.channel?.id).toMatch(/^D/);
    const again = await web().conversations.open({ users: ALICE });
    expect(again.channel?.id).toBe(dm.channel?.id);
    const posted = await web().chat.postMessage({ channel: dm.channel!.id!, text: 'hi', blocks: buttons('revoke') });
    expect(posted.ts).toBeTruthy();
    const call = standin.calls.find((c) => c.method === 'chat.postMessage')!;
    expect(call.args.blocks).toEqual(buttons('revoke'));
    expect(call.args).not.toHaveProperty('token');
    expect(standin.messages(dm.channel!.id!)).toMatchObject([{ text: 'hi', user: 'U0BOT', ts: posted.ts }]);
  });

  it('sends ephemeral messages only to a member of the channel and answers message_ts', async () => {
    expect((await api('chat.postEphemeral', { channel: GENERAL, text: 'x' })).body.error).toBe('user_not_found');
    expect((await api('chat.postEphemeral', { user: ALICE, text: 'x' })).body.error).toBe('channel_not_found');
    const bobDm = (await api('conversations.open', { users: BOB })).body.channel.id;
    expect((await api('chat.postEphemeral', { channel: bobDm, user: ALICE, text: 'x' })).body.error).toBe(
      'user_not_in_channel',
    );
    const ok = await api('chat.postEphemeral', { channel: GENERAL, user: ALICE, text: 'secret-ish' });
    expect(ok.body).toEqual({ ok: true, message_ts: expect.any(String) });
    expect(standin.messages(GENERAL)[0]).toMatchObject({ ephemeralTo: ALICE, ts: ok.body.message_ts });
  });

  it('updates and deletes its own messages, keeping every version', async () => {
    const { ts } = (await api('chat.postMessage', { channel: GENERAL, text: 'one' })).body;
    expect((await api('chat.update', { channel: GENERAL, ts, text: 'two' })).body).toMatchObject({ ok: true, ts });
    expect((await api('chat.update', { channel: GENERAL, ts: '1.2', text: 'x' })).body.error).toBe('message_not_found');
    expect((await api('chat.delete', { channel: GENERAL, ts })).body).toMatchObject({ ok: true, ts });
    const [v1, v2] = standin.messages(GENERAL);
    expect(v1).toMatchObject({ text: 'one', replacedBy: v2!.id });
    expect(v2).toMatchObject({ text: 'two', ts, deletedAt: expect.any(Number) });
  });

  it('rejects blocks beyond Slack limits with invalid_blocks', async () => {
    const long = [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }];
    const res = await api('chat.postMessage', { channel: GENERAL, blocks: long });
    expect(res.body).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(res.body.response_metadata.messages[0]).toContain('/blocks/0/text/text');
    expect((await api('chat.postMessage', { channel: GENERAL })).body.error).toBe('no_text');
  });

  it('answers users.info and usergroups.users.list with the fields policy checks use', async () => {
    const bob = (await api('users.info', { user: BOB })).body.user;
    expect(bob).toMatchObject({
      id: BOB,
      team_id: 'T0OTHER',
      is_restricted: true,
      is_ultra_restricted: false,
      is_stranger: true,
      deleted: false,
    });
    expect((await api('users.info', { user: 'U0NOBODY' })).body.error).toBe('user_not_found');
    expect((await api('usergroups.users.list', { usergroup: 'S0SECURITY' })).body).toMatchObject({
      ok: true,
      users: [ALICE],
    });
    expect((await api('usergroups.users.list', { usergroup: 'S0NONE' })).body.error).toBe('no_such_subteam');
  });

  it('answers unknown_method for anything else', async () => {
    expect((await api('files.upload', {})).body).toEqual({ ok: false, error: 'unknown_method' });
  });

  it('fails the next calls of a method on request, then recovers', async () => {
    standin.fail('chat.postMessage', 'channel_not_found', 2);
    standin.fail('users.info', 'ratelimited');
    expect((await api('chat.postMessage', { channel: GENERAL, text: 'a' })).body.error).toBe('channel_not_found');
    expect((await api('chat.postMessage', { channel: GENERAL, text: 'a' })).body.error).toBe('channel_not_found');
    expect((await api('chat.postMessage', { channel: GENERAL, text: 'a' })).body.ok).toBe(true);
    const limited = await api('users.info', { user: ALICE });
    expect([limited.status, limited.headers.get('retry-after'), limited.body.error]).toEqual([429, '1', 'ratelimited']);
  });
});

describe('slash commands and response URLs', () => {
  it('sends a signed, form-encoded slash command with the exact Slack fields', async () => {
    bot.reply = () => ({ status: 200, body: { text: 'working on it…' } });
    const res = await standin.slashCommand({ user: ALICE, text: 'list triton' });
    const got = bot.received[0]!;
    expect(got.signatureOk).toBe(true);
    expect(got.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect([...got.form.keys()].sort()).toEqual(
      [
        'api_app_id',
        'channel_id',
        'channel_name',
        'command',
        'is_enterprise_install',
        'response_url',
        'team_domain',
        'team_id',
        'text',
        'token',
        'trigger_id',
        'user_id',
        'user_name',
      ].sort(),
    );
    expect(got.payload).toMatchObject({
      command: '/token',
      text: 'list triton',
      user_id: ALICE,
      user_name: 'alice',
      channel_id: GENERAL,
      channel_name: 'general',
      team_id: 'T0TEAM',
    });
    expect(res).toMatchObject({
      status: 200,
      body: { text: 'working on it…' },
      responseUrl: got.payload.response_url,
      triggerId: got.payload.trigger_id,
    });
    expect(standin.messages(GENERAL)).toMatchObject([{ text: 'working on it…', ephemeralTo: ALICE }]);
  });

  it('shows a failed command as Slack does when the bot refuses it', async () => {
    bot.reply = () => ({ status: 401 });
    expect((await standin.slashCommand({ user: ALICE, text: 'help' })).status).toBe(401);
    expect(standin.messages(GENERAL)[0]).toMatchObject({
      user: 'USLACKBOT',
      ephemeralTo: ALICE,
      text: '/token failed with the error "dispatch_failed"',
    });
  });

  it('signs like Slack: HMAC-SHA256 over v0:timestamp:body', () => {
    const body = 'token=abc&text=hi';
    const expected = createHmac('sha256', SECRET).update(`v0:1531420618:${body}`).digest('hex');
    expect(signSlackRequest(SECRET, body, 1531420618)).toEqual({
      'x-slack-signature': `v0=${expected}`,
      'x-slack-request-timestamp': '1531420618',
    });
  });

  it('accepts a response_url five times within 30 minutes, then used_url', async () => {
    const { responseUrl } = await standin.slashCommand({ user: ALICE, text: 'list' });
    const post = (body: unknown) =>
      fetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ text: 'in channel', response_type: 'in_channel' })).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await post({ text: `private ${i}` })).status).toBe(200);
    const sixth = await post({ text: 'too many' });
    expect([sixth.status, await sixth.text()]).toEqual([404, 'used_url']);
    const msgs = standin.messages(GENERAL);
    expect(msgs[0]).toMatchObject({ text: 'in channel', user: 'U0BOT' });
    expect(msgs[0]).not.toHaveProperty('ephemeralTo');
    expect(msgs[1]).toMatchObject({ text: 'private 0', ephemeralTo: ALICE });
    expect(standin.responses).toHaveLength(6);
  });

  it('expires a response_url after 30 minutes', async () => {
    const { responseUrl } = await standin.slashCommand({ user: ALICE, text: 'list' });
    clock += 30 * 60_000 + 1;
    const res = await fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text":"late"}',
    });
    expect([res.status, await res.text()]).toEqual([404, 'expired_url']);
  });
});

describe('modals', () => {
  const modal = {
    type: 'modal',
    callback_id: 'create',
    title: { type: 'plain_text', text: 'Create token' },
    submit: { type: 'plain_text', text: 'Create' },
    blocks: [
      {
        type: 'input',
        block_id: 'name',
        label: { type: 'plain_text', text: 'Name' },
        element: { type: 'plain_text_input', action_id: 'v' },
      },
      {
        type: 'input',
        block_id: 'provider',
        label: { type: 'plain_text', text: 'Provider' },
        element: {
          type: 'static_select',
          action_id: 'p',
          options: [{ text: { type: 'plain_text', text: 'Triton' }, value: 'triton' }],
        },
      },
      {
        type: 'input',
        block_id: 'reason',
        optional: true,
        label: { type: 'plain_text', text: 'Reason' },
        element: { type: 'plain_text_input', action_id: 'r' },
      },
    ],
  };

  it('opens a view with a fresh trigger_id only once', async () => {
    const { triggerId } = await standin.slashCommand({ user: ALICE, text: 'create' });
    expect((await api('views.open', { trigger_id: triggerId, view: modal })).body.ok).toBe(true);
    expect((await api('views.open', { trigger_id: triggerId, view: modal })).body.error).toBe('exchanged_trigger_id');
    expect((await api('views.open', { trigger_id: '1.2.3', view: modal })).body.error).toBe('invalid_trigger_id');
    expect(standin.openViews(ALICE)).toHaveLength(1);
  });

  it('refuses a trigger_id older than 3 seconds', async () => {
    const { triggerId } = await standin.slashCommand({ user: ALICE, text: 'create' });
    clock += 3_001;
    expect((await api('views.open', { trigger_id: triggerId, view: modal })).body.error).toBe('expired_trigger_id');
  });

  it('submits state.values, keeps the view open on errors and closes it on success', async () => {
    const { triggerId } = await standin.slashCommand({ user: ALICE, text: 'create' });
    await api('views.open', { trigger_id: triggerId, view: modal });
    const refused = await standin.submitView({ user: ALICE, values: { provider: 'triton' } });
    expect(refused).toMatchObject({ status: 0, body: { errors: { name: expect.any(String) } } });
    expect(bot.received).toHaveLength(1); // Slack's client does not send a form with a required field empty

    bot.reply = () => ({ status: 200, body: { response_action: 'errors', errors: { name: 'Name taken' } } });
    await standin.submitView({ user: ALICE, values: { 'name.v': 'ci', provider: 'triton' } });
    const sent = bot.received[1]!.payload;
    expect(sent).toMatchObject({
      type: 'view_submission',
      user: { id: ALICE, username: 'alice', team_id: 'T0TEAM' },
      view: { callback_id: 'create' },
    });
    expect(sent.view.state.values).toEqual({
      name: { v: { type: 'plain_text_input', value: 'ci' } },
      provider: {
        p: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: 'Triton' }, value: 'triton' },
        },
      },
      reason: { r: { type: 'plain_text_input', value: null } },
    });
    expect(standin.openViews(ALICE)[0]!.errors).toEqual({ name: 'Name taken' });

    bot.reply = () => ({ status: 200 });
    await standin.submitView({ user: ALICE, values: { name: 'ci-2', provider: 'triton' } });
    expect(standin.openViews(ALICE)).toEqual([]);
  });
});

describe('buttons', () => {
  it('sends block_actions with the message, then replaces it through the response_url', async () => {
    const { ts } = (
      await api('chat.postMessage', { channel: GENERAL, text: 'Revoke?', blocks: buttons('revoke', 'cancel') })
    ).body;
    await standin.clickButton({ user: ALICE, actionId: 'revoke' });
    const p = bot.received[0]!.payload;
    expect(p).toMatchObject({
      type: 'block_actions',
      user: { id: ALICE, username: 'alice' },
      container: { type: 'message', message_ts: ts, channel_id: GENERAL, is_ephemeral: false },
      channel: { id: GENERAL, name: 'general' },
      message: { ts, text: 'Revoke?' },
      actions: [{ action_id: 'revoke', block_id: 'act', value: 'v-revoke', type: 'button' }],
    });
    await fetch(p.response_url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ replace_original: true, text: 'Revoked.' }),
    });
    const current = standin.messages(GENERAL).filter((m) => !m.replacedBy);
    expect(current).toMatchObject([{ ts, text: 'Revoked.' }]);
  });

  it('leaves the message out of clicks on ephemeral messages and lets only their recipient click', async () => {
    await api('chat.postEphemeral', { channel: GENERAL, user: ALICE, text: 'x', blocks: buttons('ok') });
    await expect(standin.clickButton({ user: BOB, actionId: 'ok' })).rejects.toThrow(/no message visible/);
    await standin.clickButton({ user: ALICE, actionId: 'ok', value: 'override' });
    const p = bot.received[0]!.payload;
    expect(p.container.is_ephemeral).toBe(true);
    expect(p).not.toHaveProperty('message');
    expect(p.actions[0].value).toBe('override');
    await fetch(p.response_url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"delete_original":true}',
    });
    expect(standin.messages(GENERAL)[0]!.deletedAt).toBeDefined();
  });
});

describe('HTTP views of the state', () => {
  it('serves calls, messages and responses, and runs commands for other clients', async () => {
    bot.reply = () => ({ status: 200, body: { text: 'ack' } });
    const cmd = await fetch(`${standin.url}/_standin/command`, {
      method: 'POST',
      body: JSON.stringify({ user: ALICE, channel: GENERAL, text: 'help' }),
    });
    expect(await cmd.json()).toMatchObject({ status: 200, body: { text: 'ack' } });
    await api('auth.test', {});
    const get = async (p: string) => (await fetch(`${standin.url}${p}`)).json();
    expect(await get('/_standin/calls')).toMatchObject([{ method: 'auth.test', ok: true }]);
    expect(await get(`/_standin/messages?channel=${GENERAL}`)).toMatchObject([{ text: 'ack' }]);
    expect(await get('/_standin/responses')).toEqual([]);
  });

  it('serves the console page and its compiled renderer', async () => {
    const page = await fetch(`${standin.url}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const js = await (await fetch(`${standin.url}/_console/render.js`)).text();
    expect(js).toContain('export');
    expect(js).not.toMatch(/:\s*VChild\[\]/); // types stripped
    const state = (await (await fetch(`${standin.url}/_console/state?user=${BOB}`)).json()) as ConsoleState;
    expect(state.channels.map((c) => c.kind)).toEqual(['channel', 'audit', 'dm', 'home']);
  });

  it('shows an ephemeral message in the console only to its recipient, and pushes changes as events', async () => {
    const events = await fetch(`${standin.url}/_console/events`);
    const reader = events.body!.getReader();
    await reader.read(); // the retry: preamble
    await api('chat.postEphemeral', { channel: GENERAL, user: ALICE, text: 'for alice' });
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: change');
    await reader.cancel();
    const stateOf = async (u: string) =>
      (await (await fetch(`${standin.url}/_console/state?user=${u}`)).json()) as ConsoleState;
    expect((await stateOf(ALICE)).messages.map((m) => m.text)).toEqual(['for alice']);
    expect((await stateOf(BOB)).messages).toEqual([]);
  });
});

describe('with a real Bolt app', () => {
  it('carries a command, a modal and a respond() end to end', async () => {
    const app = new App({
      signingSecret: SECRET,
      token: TOKEN,
      botId: 'B0BOT',
      botUserId: 'U0BOT',
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: standin.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/token', async ({ ack, body, client, respond }) => {
      await client.views.open({
        trigger_id: body.trigger_id,
        view: { type: 'modal', title: { type: 'plain_text', text: 'Hi' }, blocks: [] },
      });
      await ack();
      await respond({ text: `you typed ${body.text}` });
    });
    const server = (await app.start(0)) as Server;
    standin.setRequestUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`);
    try {
      const res = await standin.slashCommand({ user: ALICE, text: 'create' });
      expect(res.status).toBe(200);
      await standin.waitFor(() => standin.messages(GENERAL).length > 0);
      expect(standin.messages(GENERAL)[0]).toMatchObject({ text: 'you typed create', ephemeralTo: ALICE });
      expect(standin.openViews(ALICE)).toHaveLength(1);
    } finally {
      await app.stop();
    }
  });
});
