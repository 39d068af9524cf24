import type { WebClient } from '@slack/web-api';
import { TokenOpsError } from '../core/errors.js';
import type { Directory, UserFacts } from '../core/ports.js';

interface Cached<T> {
  value: T;
  until: number;
}

/**
 * Users and user groups from Slack (users.info, usergroups.users.list), cached per container so a
 * warm ingress authorizes without a Slack call. Fails closed: no facts, no access.
 */
export class SlackDirectory implements Directory {
  readonly #users = new Map<string, Cached<Omit<UserFacts, 'groups'>>>();
  #groups: Cached<Map<string, Set<string>>> | undefined;

  constructor(
    private readonly client: WebClient,
    /** User group ids the policy names; only these are looked up. */
    private readonly groupIds: readonly string[],
    private readonly ttlMs = 5 * 60_000,
  ) {}

  async user(userId: string): Promise<UserFacts> {
    const [facts, groups] = await Promise.all([this.#user(userId), this.#groupMembers()]);
    return { ...facts, groups: this.groupIds.filter((g) => groups.get(g)?.has(userId)) };
  }

  async #user(userId: string): Promise<Omit<UserFacts, 'groups'>> {
    const hit = this.#users.get(userId);
    if (hit && hit.until > Date.now()) return hit.value;
    const res = await this.client.users.info({ user: userId }).catch((err: unknown) => {
      throw new TokenOpsError('internal', 'Slack could not tell who you are; try again in a moment.', { cause: err });
    });
    const u = res.user as
      | {
          team_id?: string;
          is_restricted?: boolean;
          is_ultra_restricted?: boolean;
          is_stranger?: boolean;
          deleted?: boolean;
        }
      | undefined;
    if (!u) throw new TokenOpsError('internal', 'Slack could not tell who you are; try again in a moment.');
    const value = {
      teamId: u.team_id ?? '',
      isRestricted: !!u.is_restricted,
      isUltraRestricted: !!u.is_ultra_restricted,
      isStranger: !!u.is_stranger,
      deleted: !!u.deleted,
    };
    this.#users.set(userId, { value, until: Date.now() + this.ttlMs });
    return value;
  }

  async #groupMembers(): Promise<Map<string, Set<string>>> {
    if (this.groupIds.length === 0) return new Map();
    if (this.#groups && this.#groups.until > Date.now()) return this.#groups.value;
    const entries = await Promise.all(
      this.groupIds.map(async (g) => {
        const res = await this.client.usergroups.users.list({ usergroup: g }).catch((err: unknown) => {
          throw new TokenOpsError('internal', 'Slack could not list user group members; try again in a moment.', {
            cause: err,
          });
        });
        return [g, new Set(res.users ?? [])] as const;
      }),
    );
    const value = new Map(entries);
    this.#groups = { value, until: Date.now() + this.ttlMs };
    return value;
  }
}
