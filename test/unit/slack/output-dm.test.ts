import type { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { TokenOpsError } from '../../../src/core/errors.js';
import { SlackOutput } from '../../../src/slack/output.js';

// The worker keeps each user's DM channel id for the life of the container: a secret then waits for
// one Slack call, not two. A fake Web API client records the calls.

/** A fake client: DM ids per user from `dms` (changeable), postEphemeral failing with `failPost`. */
function fakeClient(dms: Record<string, string>, failPost: (channel: string) => string | undefined = () => undefined) {
  const calls: string[] = [];
  const slackError = (code: string) => Object.assign(new Error(code), { data: { ok: false, error: code } });
  const client = {
    conversations: {
      open: async ({ users }: { users: string }) => {
        calls.push(`open ${users}`);
        if (!dms[users]) throw slackError('user_not_found');
        return { ok: true, channel: { id: dms[users] } };
      },
    },
    chat: {
      postEphemeral: async ({ channel }: { channel: string }) => {
        calls.push(`post ${channel}`);
        const code = failPost(channel);
        if (code) throw slackError(code);
        return { ok: true };
      },
      postMessage: async ({ channel }: { channel: string }) => {
        calls.push(`message ${channel}`);
        return { ok: true };
      },
    },
  };
  return { client: client as unknown as WebClient, calls };
}

const view = { text: 'secret', blocks: [] };

describe('secret delivery to the DM', () => {
  it('opens a user DM once and reuses it, for secrets and notices alike', async () => {
    const { client, calls } = fakeClient({ U1: 'D1' });
    const out = new SlackOutput(client, { auditChannel: 'C0AUDIT' });
    await out.deliverSecret('U1', view);
    await out.deliverSecret('U1', view);
    await out.notifyUser('U1', view);
    expect(calls).toEqual(['open U1', 'post D1', 'post D1', 'message D1']);
  });

  it('uses the DM opened ahead of the delivery', async () => {
    const { client, calls } = fakeClient({ U1: 'D1' });
    const out = new SlackOutput(client, { auditChannel: 'C0AUDIT' });
    out.prepareDelivery('U1');
    await out.deliverSecret('U1', view);
    expect(calls).toEqual(['open U1', 'post D1']);
  });

  it('fails a delivery Slack refuses, and opens the DM afresh for the next one', async () => {
    const dms = { U1: 'D1' };
    const { client, calls } = fakeClient(dms, (channel) => (channel === 'D1' ? 'channel_not_found' : undefined));
    const out = new SlackOutput(client, { auditChannel: 'C0AUDIT' });
    const err = await out.deliverSecret('U1', view).catch((e: unknown) => e);
    expect((err as TokenOpsError).code).toBe('delivery_failed');
    dms.U1 = 'D2';
    await out.deliverSecret('U1', view);
    expect(calls).toEqual(['open U1', 'post D1', 'open U1', 'post D2']);
  });

  it('does not keep a failed open, and says delivery failed with Slack code only', async () => {
    const dms: Record<string, string> = {};
    const { client, calls } = fakeClient(dms);
    const out = new SlackOutput(client, { auditChannel: 'C0AUDIT' });
    out.prepareDelivery('U1');
    const err = await out.deliverSecret('U1', view).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenOpsError);
    expect((err as TokenOpsError).code).toBe('delivery_failed');
    expect((err as Error).message).toContain('user_not_found');
    dms['U1'] = 'D9';
    await out.deliverSecret('U1', view);
    expect(calls.slice(-2)).toEqual(['open U1', 'post D9']);
  });
});
