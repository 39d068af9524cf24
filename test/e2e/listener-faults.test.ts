import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL } from '../../src/local/demo.js';
import { signSlackRequest } from '../../src/local/slack-standin/index.js';
import { useIngress } from '../support/ingress.js';

// The listeners behind the real ingress handler (door, Bolt): a directory that fails, button values
// and modal metadata that are junk, and a response_url that fails. Each gets a clear answer; a
// refused click is audited even when the reply cannot be sent.

const FORM = 'application/x-www-form-urlencoded';

/** A response_url endpoint on loopback that records what it is sent, or fails when told to. */
function responseSink(): { url: () => string; bodies: Record<string, unknown>[]; failing: { on: boolean } } {
  const bodies: Record<string, unknown>[] = [];
  const failing = { on: false };
  let server: Server;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        if (failing.on) return void res.writeHead(500).end('down');
        bodies.push(JSON.parse(raw) as Record<string, unknown>);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => new Promise<void>((r) => server.close(() => r())));
  return { url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/response`, bodies, failing };
}

const NEW_USERS = ['U0DIRA', 'U0DIRB', 'U0DIRC'].map((id) => ({ id, name: id.toLowerCase(), teamId: LOCAL.teamId }));

describe('listeners under faults and junk (real ingress handler)', () => {
  const ingress = useIngress({ users: NEW_USERS });
  const sink = responseSink();

  const post = (fields: Record<string, string>) => {
    const body = new URLSearchParams(fields).toString();
    return ingress().handler({
      headers: { 'content-type': FORM, ...signSlackRequest(LOCAL.signingSecret, body) },
      body,
    });
  };
  const slash = (user: string, text: string) =>
    post({
      command: '/token',
      text,
      user_id: user,
      team_id: LOCAL.teamId,
      channel_id: 'C0GENERAL',
      trigger_id: `1.2.${Math.random()}`,
      response_url: sink.url(),
    });
  const click = (user: string, actionId: string, value: string) =>
    post({
      payload: JSON.stringify({
        type: 'block_actions',
        user: { id: user, team_id: LOCAL.teamId },
        team: { id: LOCAL.teamId },
        trigger_id: `1.2.${Math.random()}`,
        response_url: sink.url(),
        channel: { id: 'C0GENERAL' },
        container: { type: 'message', channel_id: 'C0GENERAL', message_ts: '1.1', is_ephemeral: true },
        actions: [{ action_id: actionId, value, type: 'button', block_id: 'b' }],
      }),
    });
  const submit = (callbackId: string, privateMetadata: string, values: Record<string, unknown>) =>
    post({
      payload: JSON.stringify({
        type: 'view_submission',
        user: { id: 'U0SAM', team_id: LOCAL.teamId },
        team: { id: LOCAL.teamId },
        trigger_id: `1.2.${Math.random()}`,
        view: { id: 'V1', callback_id: callbackId, private_metadata: privateMetadata, state: { values } },
      }),
    });
  const lastReply = () => JSON.stringify(sink.bodies.at(-1));

  describe('the directory', () => {
    it('says "try again" when Slack could not answer about the user', async () => {
      ingress().standin.fail('users.info', 'internal_error', 10);
      const res = await slash('U0DIRA', 'list mailtrap');
      expect(res.body).toMatch(/Slack did not answer when tokenops asked who you are, so nothing was done; try again/);
    });

    it('says plainly, without "try again", when Slack answered that the user is unknown', async () => {
      ingress().standin.fail('users.info', 'user_not_found', 1);
      const res = await slash('U0DIRB', 'list mailtrap');
      expect(res.body).toMatch(/Slack does not know you as a member of this workspace/);
      expect(res.body).not.toMatch(/try again/i);
    });

    it('points at the admin, without "try again", when Slack refuses the app (a scope is missing)', async () => {
      ingress().standin.fail('users.info', 'missing_scope', 1);
      const res = await slash('U0DIRC', 'list mailtrap');
      expect(res.body).toMatch(/users\.info said missing_scope.*ask your tokenops admin/);
      expect(res.body).not.toMatch(/try again/i);
    });
  });

  describe('button values', () => {
    it.each([
      ['revoke_confirm', 'not json'],
      ['revoke_confirm', '{"ref":5}'],
      ['revoke_confirm', '{"ref":"nope"}'],
      ['revoke_request', '[]'],
      ['rotate_request', '{"ref":"mailtrap/1","reason":{}}'],
      ['create_duplicate', '{"text":"list mailtrap"}'],
      ['approval_approve', ''],
      ['list_page_next', '{"p":-1}'],
    ])('answers a malformed %s value %j with a clear message, queues nothing, and warns', async (id, value) => {
      const t = ingress();
      const jobs = t.jobs.length;
      const lines = t.log.lines.length;
      const res = await click('U0SAM', id, value);
      expect(res.statusCode).toBe(200);
      await t.standin.waitFor(() => sink.bodies.length > 0 && lastReply().includes('cannot read'));
      expect(lastReply()).toMatch(/That button carries data tokenops cannot read.*nothing was done/);
      expect(lastReply()).not.toMatch(/could not take the request/);
      expect(t.jobs.length).toBe(jobs);
      expect(t.log.lines.slice(lines).map((l) => l.level)).toEqual(['warn']);
    });

    it('audits a refused Revoke click before replying, so a failing response_url loses nothing', async () => {
      const t = ingress();
      sink.failing.on = true;
      try {
        const res = await click('U0GUEST', 'revoke_confirm', JSON.stringify({ ref: 'mailtrap/42', reason: 'x' }));
        expect(res.statusCode).toBe(200);
        const audit = await t.standin.waitFor(() =>
          t.jobs.find((j) => j.kind === 'audit_post' && j.record.ref === 'mailtrap/42'),
        );
        expect(audit.kind === 'audit_post' && audit.record).toMatchObject({ outcome: 'refused', actor: 'U0GUEST' });
      } finally {
        sink.failing.on = false;
      }
    });
  });

  describe('modal private_metadata', () => {
    it.each(['{broken', '[1]', '{"approvalId":{"x":1}}', ''])(
      'answers a deny form with junk metadata %j inside the form, queues nothing',
      async (meta) => {
        const t = ingress();
        const jobs = t.jobs.length;
        const res = await submit('approval_deny_reason', meta, { reason: { value: { value: 'no thanks' } } });
        expect(res.statusCode).toBe(200);
        expect(res.body).toMatch(/response_action.*errors.*This form carries data tokenops cannot read/);
        expect(t.jobs.length).toBe(jobs);
      },
    );

    it.each(['{broken', '{"channelId":5}', '{"responseUrl":"not a url"}'])(
      'answers a create form with junk metadata %j inside the form, queues nothing',
      async (meta) => {
        const t = ingress();
        const jobs = t.jobs.length;
        const res = await submit('create_token', meta, {
          target: { create_target: { selected_option: { value: 'mailtrap:default' } } },
          name: { value: { value: 'ci deploy' } },
        });
        expect(res.statusCode).toBe(200);
        expect(res.body).toMatch(/This form carries data tokenops cannot read/);
        expect(t.jobs.length).toBe(jobs);
      },
    );
  });
});
