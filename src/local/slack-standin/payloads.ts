import type { StandinState } from './state.js';
import type { StandinMessage, StandinUser, StandinView } from './types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The legacy verification token Slack still puts in payloads (Bolt ignores it). */
export const VERIFICATION_TOKEN = 'standinVerificationToken';
const APP_ID = 'A0STANDIN';
const TEAM_DOMAIN = 'tokenops-local';

/** The form fields of a slash command, exactly as Slack names them. */
export function slashCommandForm(
  state: StandinState,
  a: { user: StandinUser; channel: string; command: string; text: string; responseUrl: string; triggerId: string },
): Record<string, string> {
  return {
    token: VERIFICATION_TOKEN,
    team_id: state.opts.teamId,
    team_domain: TEAM_DOMAIN,
    channel_id: a.channel,
    channel_name: state.channelName(a.channel),
    user_id: a.user.id,
    user_name: a.user.name,
    command: a.command,
    text: a.text,
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: a.responseUrl,
    trigger_id: a.triggerId,
  };
}

function userJson(state: StandinState, u: StandinUser): Obj {
  return { id: u.id, username: u.name, name: u.name, team_id: u.teamId ?? state.opts.teamId };
}

function common(state: StandinState, u: StandinUser, triggerId: string): Obj {
  return {
    user: userJson(state, u),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: triggerId,
    team: { id: state.opts.teamId, domain: TEAM_DOMAIN },
    enterprise: null,
    is_enterprise_install: false,
  };
}

/** A button (or other element) found in a message's blocks, with the block it sits in. */
export interface FoundElement {
  blockId: string;
  element: Obj;
}

/** Finds an interactive element by action_id in actions blocks and section accessories. */
export function findElement(blocks: unknown[] | undefined, actionId: string): FoundElement | undefined {
  for (const b of blocks ?? []) {
    if (!isObj(b)) continue;
    const candidates = b.type === 'actions' && Array.isArray(b.elements) ? b.elements : [b.accessory];
    const element = candidates.find((e): e is Obj => isObj(e) && e.action_id === actionId);
    if (element) return { blockId: typeof b.block_id === 'string' ? b.block_id : '', element };
  }
  return undefined;
}

/** A message as the Web API and interaction payloads show it. */
export function messageJson(state: StandinState, m: StandinMessage): Obj {
  const o = state.opts;
  const blocks = m.blocks ?? [];
  return {
    type: 'message',
    user: m.user,
    bot_id: o.botId,
    app_id: APP_ID,
    text: m.text,
    blocks,
    ts: m.ts,
    team: o.teamId,
  };
}

/** The `block_actions` payload Slack sends when a user clicks a button in a message. */
export function blockActionsPayload(
  state: StandinState,
  a: {
    user: StandinUser;
    message: StandinMessage;
    found: FoundElement;
    value?: string;
    triggerId: string;
    responseUrl: string;
  },
): Obj {
  const { message: m, found } = a;
  const ephemeral = m.ephemeralTo !== undefined;
  const action: Obj = {
    action_id: found.element.action_id,
    block_id: found.blockId,
    text: found.element.text,
    value: a.value ?? found.element.value,
    type: found.element.type ?? 'button',
    action_ts: `${(state.now() / 1000).toFixed(6)}`,
  };
  if (found.element.style) action.style = found.element.style;
  return {
    type: 'block_actions',
    ...common(state, a.user, a.triggerId),
    container: { type: 'message', message_ts: m.ts, channel_id: m.channel, is_ephemeral: ephemeral },
    channel: { id: m.channel, name: state.channelName(m.channel) },
    // Slack leaves the message out of payloads from ephemeral messages: only response_url can change those.
    ...(ephemeral ? {} : { message: messageJson(state, m) }),
    state: { values: {} },
    response_url: a.responseUrl,
    actions: [action],
  };
}

/** The `view_submission` payload for a user's modal with its input state filled in. */
export function viewSubmissionPayload(
  state: StandinState,
  a: { user: StandinUser; entry: StandinView; values: Obj; triggerId: string },
): Obj {
  return {
    type: 'view_submission',
    ...common(state, a.user, a.triggerId),
    view: { ...a.entry.view, state: { values: a.values } },
    response_urls: [],
  };
}

/** The `view_closed` payload Slack sends when a user cancels a modal that asked for notify_on_close. */
export function viewClosedPayload(state: StandinState, a: { user: StandinUser; entry: StandinView }): Obj {
  const { trigger_id: _unused, ...rest } = common(state, a.user, '');
  return { type: 'view_closed', ...rest, view: a.entry.view, is_cleared: false };
}
