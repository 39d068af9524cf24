import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SLACK_EVENTS_PATH } from '../../cdk/constructs/slack-endpoint.js';

const manifest = parse(readFileSync(fileURLToPath(new URL('../../slack/manifest.yaml', import.meta.url)), 'utf8'));
const SRC = fileURLToPath(new URL('../../src', import.meta.url));

// Bot scope each Web API method needs (null: none beyond the token). A method missing here fails the
// test below, so a new Slack call cannot ship without deciding its scope.
const SCOPE_OF: Record<string, string | null> = {
  'chat.postMessage': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.update': 'chat:write',
  'conversations.open': 'im:write',
  'users.info': 'users:read',
  'usergroups.users.list': 'usergroups:read',
  'views.open': null,
  'views.update': null,
  'views.push': null,
  'views.publish': null,
  'auth.test': null,
};

/** Web API methods called as `client.a.b(` anywhere in src, the local Slack stand-in excepted. */
function webApiMethodsUsed(): Set<string> {
  const files = (readdirSync(SRC, { recursive: true }) as string[]).filter(
    (f) => f.endsWith('.ts') && !f.startsWith(join('local', 'slack-standin')),
  );
  const methods = files.flatMap((f) =>
    [...readFileSync(join(SRC, f), 'utf8').matchAll(/\bclient\.([a-z]+(?:\.[a-zA-Z]+)+)\(/g)].map((m) => m[1]!),
  );
  return new Set(methods);
}

const PLACEHOLDER = `https://REPLACE-WITH-RequestUrl-OUTPUT${SLACK_EVENTS_PATH}`;

describe('slack app manifest', () => {
  it('declares /token with escaping, at the request URL placeholder the README substitutes', () => {
    expect(manifest.features.slash_commands).toEqual([
      expect.objectContaining({ command: '/token', url: PLACEHOLDER, should_escape: true }),
    ]);
  });

  it('sends interactions to the same request URL', () => {
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: PLACEHOLDER });
  });

  it('asks for exactly the bot scopes the app calls, and no user scopes', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      ['chat:write', 'commands', 'im:write', 'usergroups:read', 'users:read'].sort(),
    );
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it('has a scope for every Web API method the code calls, and no scope the code does not use', () => {
    const used = [...webApiMethodsUsed()];
    for (const m of used) expect(SCOPE_OF, `scope of ${m}`).toHaveProperty([m]);
    const needed = new Set(['commands', ...used.map((m) => SCOPE_OF[m]).filter((s): s is string => !!s)]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });

  it('runs over HTTP, without Socket Mode, org install or token rotation', () => {
    expect(manifest.settings).toMatchObject({
      socket_mode_enabled: false,
      org_deploy_enabled: false,
      token_rotation_enabled: false,
    });
  });

  it('has a Home tab, and subscribes to exactly its event and user_change (offboarding)', () => {
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions).toEqual({
      request_url: PLACEHOLDER,
      bot_events: ['app_home_opened', 'user_change'],
    });
  });

  it('reads user_change with the users:read scope it already has', () => {
    expect(manifest.oauth_config.scopes.bot).toContain('users:read');
  });
});
