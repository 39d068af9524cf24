import { randomBytes } from 'node:crypto';
import { RateLimiter, SLACK_METHOD_LIMITS } from './rate-limits.js';
import type { RecordedCall, StandinMessage, StandinOptions, StandinUser, StandinView } from './types.js';

/** Slack's trigger_id lifetime. */
export const TRIGGER_TTL_MS = 3_000;
/** Slack's response_url limits: 5 uses within 30 minutes. */
export const RESPONSE_URL_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60_000;

/** Where a response_url posts to: the invocation's channel and user, and the message it came from. */
export interface ResponseTarget {
  channel: string;
  user: string;
  /** ts of the message whose button produced this URL (for replace_original / delete_original). */
  sourceTs?: string;
}

interface Trigger {
  issuedAt: number;
  used: boolean;
  user: string;
}

interface ResponseUrl extends ResponseTarget {
  createdAt: number;
  uses: number;
}

/** The stand-in's whole memory: messages, modals, triggers, response URLs, calls and injected failures. */
export class StandinState {
  readonly calls: RecordedCall[] = [];
  readonly responses: { responseUrl: string; body: Record<string, unknown>; at: number }[] = [];
  readonly views: StandinView[] = [];
  /** Each user's published Home tab. */
  readonly homes = new Map<string, StandinView>();
  readonly opts: StandinOptions;
  baseUrl = '';
  #messages: StandinMessage[] = [];
  #triggers = new Map<string, Trigger>();
  #responseUrls = new Map<string, ResponseUrl>();
  #failures = new Map<string, { error: string; left: number }>();
  #listeners = new Set<() => void>();
  #seq = 0;

  /** Slack's rate limits, when the stand-in enforces them. */
  readonly limiter: RateLimiter | undefined;

  constructor(opts: StandinOptions) {
    // A copy: setRequestUrl changes it, and the caller's object stays theirs.
    this.opts = { ...opts };
    const limits = opts.rateLimits === true ? { perWindow: SLACK_METHOD_LIMITS } : opts.rateLimits || undefined;
    this.limiter = limits ? new RateLimiter(limits) : undefined;
  }

  now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** A unique id with a Slack-like prefix (V… views, M… message versions). */
  newId(prefix: string): string {
    this.#seq++;
    return `${prefix}${String(this.#seq).padStart(6, '0')}${randomBytes(2).toString('hex').toUpperCase()}`;
  }

  /** A message ts: seconds, dot, a per-process counter (unique like Slack's). */
  nextTs(): string {
    this.#seq++;
    return `${Math.floor(this.now() / 1000)}.${String(this.#seq).padStart(6, '0')}`;
  }

  user(id: string): StandinUser | undefined {
    return this.opts.users.find((u) => u.id === id);
  }

  /** The bot DM of a user: a stable D… id. */
  dmFor(userId: string): string {
    return `D${userId.replace(/^[UW]/, '')}`;
  }

  /** The user whose bot DM this is, if the id is one. */
  dmOwner(channel: string): string | undefined {
    return this.opts.users.find((u) => this.dmFor(u.id) === channel)?.id;
  }

  /** Resolves a channel argument (C… id, #name, D… id, or U… meaning the bot DM) to a channel id. */
  resolveChannel(arg: string): string | undefined {
    const byId = this.opts.channels.find((c) => c.id === arg || `#${c.name}` === arg);
    if (byId) return byId.id;
    if (this.dmOwner(arg)) return arg;
    if (this.user(arg)) return this.dmFor(arg);
    return undefined;
  }

  channelName(id: string): string {
    return this.opts.channels.find((c) => c.id === id)?.name ?? (this.dmOwner(id) ? 'directmessage' : id);
  }

  messages(channel?: string): StandinMessage[] {
    return this.#messages.filter((m) => channel === undefined || m.channel === channel);
  }

  /** The current (not replaced) version of a message. */
  current(channel: string, ts: string): StandinMessage | undefined {
    return this.#messages.find((m) => m.channel === channel && m.ts === ts && !m.replacedBy);
  }

  /** Finds any version by id and returns the current version of that message. */
  currentById(id: string): StandinMessage | undefined {
    const any = this.#messages.find((m) => m.id === id);
    return any && this.current(any.channel, any.ts);
  }

  addMessage(m: Omit<StandinMessage, 'id' | 'at' | 'ts'> & { ts?: string }): StandinMessage {
    const msg: StandinMessage = { ...m, id: this.newId('M'), at: this.now(), ts: m.ts ?? this.nextTs() };
    this.#messages.push(msg);
    this.notify();
    return msg;
  }

  /** Adds a new version of `old` with the given changes (same ts, same channel, same recipient). */
  replaceMessage(old: StandinMessage, changes: Pick<StandinMessage, 'text' | 'blocks'> & Partial<StandinMessage>) {
    const next = this.addMessage({ ...old, ...changes, ts: old.ts, replacedBy: undefined, deletedAt: undefined });
    old.replacedBy = next.id;
    this.notify();
    return next;
  }

  deleteMessage(msg: StandinMessage): void {
    msg.deletedAt = this.now();
    this.notify();
  }

  /** A fresh trigger_id for something the user did (a command, a click, a submission). */
  issueTrigger(user: string): string {
    const id = `${Math.floor(this.now() / 1000)}.${this.#seq++}.${randomBytes(16).toString('hex')}`;
    this.#triggers.set(id, { issuedAt: this.now(), used: false, user });
    return id;
  }

  /** Uses up a trigger_id: the user it was issued for, or Slack's error code when it cannot be used. */
  takeTrigger(id: unknown): { user: string } | { error: string } {
    const t = typeof id === 'string' ? this.#triggers.get(id) : undefined;
    if (!t) return { error: 'invalid_trigger_id' };
    if (t.used) return { error: 'exchanged_trigger_id' };
    if (this.now() - t.issuedAt > TRIGGER_TTL_MS) return { error: 'expired_trigger_id' };
    t.used = true;
    return { user: t.user };
  }

  issueResponseUrl(target: ResponseTarget): string {
    const id = `T${this.opts.teamId}/${this.#seq++}/${randomBytes(12).toString('hex')}`;
    this.#responseUrls.set(id, { ...target, createdAt: this.now(), uses: 0 });
    return `${this.baseUrl}/response/${id}`;
  }

  /**
   * Makes a command's response_url point at the message its ack showed, so `replace_original` through
   * it replaces the "Working on it…" message (as Slack does for the invoking user).
   */
  attachResponseSource(url: string, ts: string): void {
    const r = this.#responseUrls.get(url.slice(url.indexOf('/response/') + '/response/'.length));
    if (r) r.sourceTs = ts;
  }

  /** Counts one use of a response_url; returns its target, or Slack's 404 body text. */
  useResponseUrl(id: string): ResponseTarget | 'used_url' | 'expired_url' | 'no_service' {
    const r = this.#responseUrls.get(id);
    if (!r) return 'no_service';
    if (this.now() - r.createdAt > RESPONSE_URL_TTL_MS) return 'expired_url';
    if (r.uses >= RESPONSE_URL_USES) return 'used_url';
    r.uses++;
    return r;
  }

  fail(method: string, error: string, times = 1): void {
    this.#failures.set(method, { error, left: times });
  }

  takeFailure(method: string): string | undefined {
    const f = this.#failures.get(method);
    if (!f || f.left <= 0) return undefined;
    f.left--;
    return f.error;
  }

  /** The user's modal stack, oldest first. */
  viewStack(user: string): StandinView[] {
    return this.views.filter((v) => v.user === user);
  }

  removeView(v: StandinView): void {
    const i = this.views.indexOf(v);
    if (i >= 0) this.views.splice(i, 1);
    this.notify();
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  notify(): void {
    for (const l of this.#listeners) l();
  }
}
