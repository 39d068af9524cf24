import type { RateLimitOptions } from './rate-limits.js';

/** A workspace member the stand-in knows; `groups` lists the user group ids (S…) the user belongs to. */
export interface StandinUser {
  id: string;
  name: string;
  realName?: string;
  isRestricted?: boolean;
  isUltraRestricted?: boolean;
  isStranger?: boolean;
  teamId?: string;
  groups?: string[];
  /** Shown next to the name in the console's user switcher (e.g. "security, approver"). */
  label?: string;
  /** users.info answers `deleted: true` (a deactivated account). */
  deleted?: boolean;
}

/** How to start the stand-in: the workspace it pretends to be and where the bot listens. */
export interface StandinOptions {
  /** @default 0 (any free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  signingSecret: string;
  botToken: string;
  teamId: string;
  botUserId: string;
  botId: string;
  /** The bot's /slack/events URL; can be set later via setRequestUrl. */
  requestUrl?: string;
  users: StandinUser[];
  channels: { id: string; name: string }[];
  auditChannel: string;
  /** Clock used for trigger and response_url expiry and for message ts. @default Date.now */
  now?: () => number;
  /** How long the bot has to answer a command or interaction before the user sees operation_timeout. @default 3000 */
  ackTimeoutMs?: number;
  /**
   * Enforce Slack's per-method rate limits (429 + Retry-After): `true` for Slack's published tiers
   * (SLACK_METHOD_LIMITS), or custom limits. @default off
   */
  rateLimits?: boolean | RateLimitOptions;
}

/** One Web API call as the stand-in received it (decoded args, without the token). */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
  ok: boolean;
}

/**
 * One version of a message. `chat.update` and `replace_original` add a new version with the same `ts`
 * and mark the old one `replacedBy`; deletes set `deletedAt`. History is kept so tests can check where
 * a value ever appeared.
 */
export interface StandinMessage {
  id: string;
  channel: string;
  /** The author. */
  user?: string;
  ephemeralTo?: string;
  text: string;
  blocks?: unknown[];
  at: number;
  replacedBy?: string;
  /** Slack's message timestamp: stable across edits, like Slack's. */
  ts: string;
  deletedAt?: number;
  /** The response_url whose POST created this version, when one did. */
  responseUrl?: string;
}

/** A modal open for a user: the top of their view stack is the last entry. */
export interface StandinView {
  id: string;
  user: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  view: any;
  /** Field errors from the bot's last `response_action: 'errors'`, keyed by block_id. */
  errors?: Record<string, string>;
}

/** The bot's HTTP answer to a signed request; status 0 means the bot did not answer in time. */
export interface BotReply {
  status: number;
  body: unknown;
}

/** The running stand-in: Slack's Web API, response URLs and a user's clicks, for tests and the console. */
export interface SlackStandin {
  /** http://127.0.0.1:PORT */
  url: string;
  /** `${url}/api/` (Bolt's clientOptions.slackApiUrl) */
  apiUrl: string;
  /** Every Web API call, in order. */
  calls: RecordedCall[];
  /** Every POST to a response_url. */
  responses: { responseUrl: string; body: Record<string, unknown>; at: number }[];
  /** Every message version (see StandinMessage), optionally only one channel's. */
  messages(channel?: string): StandinMessage[];
  setRequestUrl(url: string): void;
  /** Sends a real signed slash command to the bot and returns the bot's HTTP response (status + parsed body). */
  slashCommand(args: {
    user: string;
    channel?: string;
    text: string;
    command?: string;
  }): Promise<{ status: number; body: unknown; responseUrl: string; triggerId: string }>;
  /** Sends a signed block_actions interaction (button click) for a message the bot posted. */
  clickButton(args: {
    user: string;
    messageId?: string;
    responseUrl?: string;
    actionId: string;
    value?: string;
    channel?: string;
  }): Promise<BotReply>;
  /** Sends a signed view_submission for the user's top modal; values keyed `block_id` or `block_id.action_id`. */
  submitView(args: { user: string; values: Record<string, string> }): Promise<BotReply>;
  /** The user opens the app's Home tab (Slack sends app_home_opened). */
  openHome(args: { user: string }): Promise<BotReply>;
  /** Slack sends a signed Events API callback; `retryNum` marks a retry (same `eventId`). */
  sendEvent(args: {
    event: Record<string, unknown>;
    eventId?: string;
    retryNum?: number;
  }): Promise<BotReply & { eventId: string }>;
  /** The user's published Home tab, if the bot published one. */
  home(user: string): StandinView | undefined;
  /** A click on the Home tab (`home: true`) or a choice in the top modal (a select with dispatch_action). */
  viewAction(args: {
    user: string;
    home?: boolean;
    actionId: string;
    value?: string;
    values?: Record<string, string>;
  }): Promise<BotReply>;
  /** The open modals, oldest first (optionally one user's). */
  openViews(user?: string): StandinView[];
  /** Waits until predicate over state is true (polling, bounded by timeoutMs, default 5000). */
  waitFor<T>(fn: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  /** Web API calls answered 429 so far, per method (with rate limits on). */
  rateLimited(): Record<string, number>;
  /** The next `times` (default 1) calls of a Web API method answer {ok:false,error}. */
  fail(method: string, error: string, times?: number): void;
  close(): Promise<void>;
}
