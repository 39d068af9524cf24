import { postToBot } from './bot-client.js';
import {
  blockActionsPayload,
  findElement,
  slashCommandForm,
  viewClosedPayload,
  viewSubmissionPayload,
} from './payloads.js';
import type { StandinState } from './state.js';
import type { BotReply, StandinMessage, StandinUser } from './types.js';
import { buildViewValues } from './view-values.js';
import { pushView, replaceView } from './views.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function userOf(state: StandinState, id: string): StandinUser {
  const u = state.user(id);
  if (!u) throw new Error(`slack stand-in: unknown user ${id}`);
  return u;
}

/** Whether a user can see a message in their client (not replaced, not deleted, not someone else's ephemeral). */
export function visibleTo(m: StandinMessage, user: string): boolean {
  return !m.replacedBy && !m.deletedAt && (m.ephemeralTo === undefined || m.ephemeralTo === user);
}

/** Types a slash command: sends it signed to the bot and shows the ack body the way Slack does. */
export async function slashCommand(
  state: StandinState,
  args: { user: string; channel?: string; text: string; command?: string },
): Promise<{ status: number; body: unknown; responseUrl: string; triggerId: string }> {
  const user = userOf(state, args.user);
  const channelArg = args.channel ?? state.opts.channels[0]?.id ?? '';
  const channel = state.resolveChannel(channelArg);
  if (!channel) throw new Error(`slack stand-in: unknown channel ${channelArg}`);
  const command = args.command ?? '/token';
  const responseUrl = state.issueResponseUrl({ channel, user: user.id });
  const triggerId = state.issueTrigger(user.id);
  const form = slashCommandForm(state, { user, channel, command, text: args.text, responseUrl, triggerId });
  const reply = await postToBot(state, form);
  const shown = showAck(state, { channel, user: user.id, command, responseUrl }, reply);
  if (shown) state.attachResponseSource(responseUrl, shown.ts);
  return { ...reply, responseUrl, triggerId };
}

/** Slack shows a command's ack body as a message, and a failure as a Slackbot note to the user. */
function showAck(
  state: StandinState,
  at: { channel: string; user: string; command: string; responseUrl: string },
  reply: BotReply,
): StandinMessage | undefined {
  if (reply.status !== 200) {
    const error = isObj(reply.body) && typeof reply.body.error === 'string' ? reply.body.error : 'dispatch_failed';
    const text = `${at.command} failed with the error "${error}"`;
    state.addMessage({ channel: at.channel, user: 'USLACKBOT', ephemeralTo: at.user, text });
    return undefined;
  }
  const body = typeof reply.body === 'string' ? { text: reply.body } : reply.body;
  if (!isObj(body) || (!body.text && !Array.isArray(body.blocks))) return undefined;
  return state.addMessage({
    channel: at.channel,
    user: state.opts.botUserId,
    ...(body.response_type === 'in_channel' ? {} : { ephemeralTo: at.user }),
    text: typeof body.text === 'string' ? body.text : '',
    ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}),
    responseUrl: at.responseUrl,
  });
}

/** Finds the message a click is meant for: by id, by the response_url that made it, or the newest with that button. */
function targetMessage(
  state: StandinState,
  a: { user: string; messageId?: string; responseUrl?: string; actionId: string; channel?: string },
): StandinMessage {
  const channel = a.channel ? (state.resolveChannel(a.channel) ?? a.channel) : undefined;
  const candidates = a.messageId
    ? [state.currentById(a.messageId)]
    : state
        .messages(channel)
        .filter((m) => visibleTo(m, a.user) && (!a.responseUrl || m.responseUrl === a.responseUrl))
        .reverse();
  const m = candidates.find((c) => c && findElement(c.blocks, a.actionId));
  if (!m || !visibleTo(m, a.user)) {
    throw new Error(`slack stand-in: no message visible to ${a.user} has a button ${a.actionId}`);
  }
  return m;
}

/** Clicks a button: a signed block_actions with a fresh trigger_id and response_url. */
export async function clickButton(
  state: StandinState,
  a: { user: string; messageId?: string; responseUrl?: string; actionId: string; value?: string; channel?: string },
): Promise<BotReply> {
  const user = userOf(state, a.user);
  const message = targetMessage(state, a);
  const found = findElement(message.blocks, a.actionId)!;
  const triggerId = state.issueTrigger(user.id);
  const responseUrl = state.issueResponseUrl({ channel: message.channel, user: user.id, sourceTs: message.ts });
  const payload = blockActionsPayload(state, { user, message, found, value: a.value, triggerId, responseUrl });
  return postToBot(state, { payload: JSON.stringify(payload) });
}

/** Submits the user's top modal; Slack's client checks required fields before anything is sent. */
export async function submitView(state: StandinState, a: { user: string; values: Record<string, string> }) {
  const user = userOf(state, a.user);
  const entry = state.viewStack(user.id).at(-1);
  if (!entry) throw new Error(`slack stand-in: ${a.user} has no open modal`);
  const { values, errors } = buildViewValues(entry.view.blocks ?? [], a.values);
  if (Object.keys(errors).length > 0) {
    entry.errors = errors;
    state.notify();
    return { status: 0, body: { response_action: 'errors', errors } };
  }
  const triggerId = state.issueTrigger(user.id);
  const payload = viewSubmissionPayload(state, { user, entry, values, triggerId });
  const reply = await postToBot(state, { payload: JSON.stringify(payload) });
  applyViewReply(state, entry, reply);
  return reply;
}

/** Does what Slack does with a view_submission ack: close, show errors, update, push or clear. */
function applyViewReply(state: StandinState, entry: ReturnType<StandinState['viewStack']>[number], reply: BotReply) {
  const body = isObj(reply.body) ? reply.body : {};
  if (reply.status !== 200) {
    entry.errors = { '': 'We had some trouble connecting. Try again?' };
    return state.notify();
  }
  switch (body.response_action) {
    case 'errors':
      entry.errors = isObj(body.errors) ? (body.errors as Record<string, string>) : {};
      return state.notify();
    case 'update':
      return isObj(body.view) ? replaceView(state, entry, body.view) : undefined;
    case 'push':
      return void (isObj(body.view) && pushView(state, entry.user, body.view));
    case 'clear':
      for (const v of state.viewStack(entry.user)) state.removeView(v);
      return;
    default:
      state.removeView(entry);
  }
}

/** The user cancels a modal; the bot hears about it only if the view asked for notify_on_close. */
export async function closeView(state: StandinState, a: { user: string; viewId: string }): Promise<void> {
  const user = userOf(state, a.user);
  const entry = state.viewStack(user.id).find((v) => v.id === a.viewId);
  if (!entry) return;
  const all = entry.view.clear_on_close === true;
  for (const v of all ? state.viewStack(user.id) : [entry]) state.removeView(v);
  if (entry.view.notify_on_close === true) {
    await postToBot(state, { payload: JSON.stringify(viewClosedPayload(state, { user, entry })) });
  }
}
