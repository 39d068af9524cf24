import type { KnownBlock, WebClient } from '@slack/web-api';
import { TokenOpsError } from '../core/errors.js';
import { SILENT_LOG, dropped } from '../core/dropped.js';
import type { JobOrigin, Log, Notifier } from '../core/ports.js';
import type { View } from './views.js';

/** Our loosely typed blocks as the SDK's type (the views' tests check the shapes and limits). */
function slackBlocks(view: View): KnownBlock[] {
  return view.blocks as unknown as KnownBlock[];
}

/** Where replies may go: Slack's own hook host, plus the configured API origin (a local stand-in). */
export function responseUrlAllowed(url: string, apiUrl?: string): boolean {
  try {
    const u = new URL(url);
    if (u.protocol === 'https:' && u.hostname === 'hooks.slack.com') return true;
    return apiUrl !== undefined && u.origin === new URL(apiUrl).origin;
  } catch {
    return false;
  }
}

/** The Slack error code of a failed Web API call (never its message: it may echo the payload). */
function slackErrorCode(err: unknown): string {
  return (err as { data?: { error?: string } }).data?.error ?? 'unreachable';
}

// Bounds the DM cache of a long-lived container; ids are cheap to fetch again.
const MAX_CACHED_DMS = 5000;

/** Everything the worker says in Slack, through one bounded Web API client. */
export class SlackOutput implements Notifier<View> {
  /**
   * DM channel ids by user, for the life of the container: conversations.open answers the same id
   * for the same user every time, so a warm worker skips that round trip before a secret.
   */
  readonly #dms = new Map<string, Promise<string>>();

  constructor(
    private readonly client: WebClient,
    private readonly options: {
      auditChannel: string;
      approvalsChannel?: string | undefined;
      apiUrl?: string | undefined;
      timeoutMs?: number;
      /** Where a failed response_url post is logged before the Web API fallback. @default nowhere */
      log?: Log;
    },
  ) {}

  /** Answers the person who asked: through response_url, else ephemerally in the channel. */
  async respond(origin: JobOrigin, view: View): Promise<void> {
    if (origin.responseUrl && responseUrlAllowed(origin.responseUrl, this.options.apiUrl)) {
      const res = await fetch(origin.responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          response_type: 'ephemeral',
          replace_original: origin.replaceOriginal ?? false,
          ...view,
        }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      }).catch(dropped(this.options.log ?? SILENT_LOG, 'reply through response_url'));
      if (res?.ok) return;
    }
    await this.client.chat.postEphemeral({
      channel: origin.channelId,
      user: origin.userId,
      text: view.text,
      blocks: slackBlocks(view),
    });
  }

  /** The user's DM channel id: cached, else conversations.open (a failure is not cached). */
  #dm(userId: string): Promise<string> {
    const cached = this.#dms.get(userId);
    if (cached) return cached;
    if (this.#dms.size >= MAX_CACHED_DMS) this.#dms.clear();
    const dm = this.client.conversations.open({ users: userId }).then((res) => {
      const id = res.channel?.id;
      if (!id) throw new Error('no DM channel');
      return id;
    });
    this.#dms.set(userId, dm);
    dm.catch(() => {
      if (this.#dms.get(userId) === dm) this.#dms.delete(userId);
    });
    return dm;
  }

  /** Opens the DM now, so a secret minted meanwhile waits only for its own call. */
  prepareDelivery(userId: string): void {
    this.#dm(userId).catch(() => undefined);
  }

  /**
   * Delivers a secret: an ephemeral message in the requester's DM with the bot. Not chat.postMessage:
   * DM history is kept and exported. Throws `delivery_failed` when Slack does not take it (the caller
   * then revokes the new token); a failed post also forgets the cached DM, so the next one reopens it.
   */
  async deliverSecret(userId: string, view: View): Promise<void> {
    try {
      const channel = await this.#dm(userId);
      await this.client.chat
        .postEphemeral({ channel, user: userId, text: view.text, blocks: slackBlocks(view) })
        .catch((err: unknown) => {
          this.#dms.delete(userId);
          throw err;
        });
    } catch (err) {
      throw new TokenOpsError('delivery_failed', `Slack did not deliver the DM (${slackErrorCode(err)}).`);
    }
  }

  /** Posts a message to the audit channel. */
  async postAudit(view: View): Promise<void> {
    await this.client.chat.postMessage({
      channel: this.options.auditChannel,
      text: view.text,
      blocks: slackBlocks(view),
      unfurl_links: false,
      unfurl_media: false,
    });
  }

  /** Posts an approval request to the approvers' channel; returns where the card is, to update it later. */
  async postApproval(view: View): Promise<{ channel: string; ts: string } | undefined> {
    const channel = this.options.approvalsChannel ?? this.options.auditChannel;
    const res = await this.client.chat.postMessage({
      channel,
      text: view.text,
      blocks: slackBlocks(view),
      unfurl_links: false,
      unfurl_media: false,
    });
    return res.channel && res.ts ? { channel: res.channel, ts: res.ts } : undefined;
  }

  /** Posts a message to update later: in a channel, or in a person's DM with the bot. */
  async postMessage(
    where: { channel: string } | { user: string },
    view: View,
    threadTs?: string,
  ): Promise<{ channel: string; ts: string } | undefined> {
    const channel = 'channel' in where ? where.channel : await this.#dm(where.user);
    const res = await this.client.chat.postMessage({
      channel,
      text: view.text,
      blocks: slackBlocks(view),
      unfurl_links: false,
      unfurl_media: false,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    return res.channel && res.ts ? { channel: res.channel, ts: res.ts } : undefined;
  }

  /** Replaces a message the bot posted, in place (an approval card once decided). */
  async updateMessage(channel: string, ts: string, view: View): Promise<void> {
    await this.client.chat.update({ channel, ts, text: view.text, blocks: slackBlocks(view) });
  }

  /** Publishes a user's App Home tab. */
  async publishHome(userId: string, view: { type: 'home'; blocks: unknown[] }): Promise<void> {
    await this.client.views.publish({ user_id: userId, view: view as never });
  }

  /** Sends a plain notice (no secret) to a user's DM: reminders, approval outcomes. */
  async notifyUser(userId: string, view: View): Promise<void> {
    await this.client.chat.postMessage({
      channel: await this.#dm(userId),
      text: view.text,
      blocks: slackBlocks(view),
      unfurl_links: false,
      unfurl_media: false,
    });
  }
}
