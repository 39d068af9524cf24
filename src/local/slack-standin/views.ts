import { randomBytes } from 'node:crypto';
import { validateBlocks } from './block-limits.js';
import { str } from './http-util.js';
import type { StandinState } from './state.js';
import type { StandinView } from './types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const fail = (error: string, extra: Obj = {}) => ({ ok: false, error, ...extra });

/** Slack allows three modals in a stack. */
const MAX_STACK = 3;

/** Fills in the block_id / action_id values Slack generates when a view omits them. */
export function withGeneratedIds(blocks: unknown[]): unknown[] {
  const gen = () => randomBytes(3).toString('base64url');
  return blocks.map((b) => {
    if (!isObj(b)) return b;
    const block: Obj = { ...b, block_id: typeof b.block_id === 'string' ? b.block_id : gen() };
    if (isObj(b.element)) block.element = { ...b.element, action_id: b.element.action_id ?? gen() };
    if (isObj(b.accessory)) block.accessory = { ...b.accessory, action_id: b.accessory.action_id ?? gen() };
    if (Array.isArray(b.elements) && b.type === 'actions') {
      block.elements = b.elements.map((e) => (isObj(e) ? { ...e, action_id: e.action_id ?? gen() } : e));
    }
    return block;
  });
}

/** Validates a view argument the way views.open does; returns the error answer or the checked view. */
function checkView(arg: unknown): { view: Obj } | { error: Obj } {
  if (!isObj(arg) || arg.type !== 'modal') return { error: fail('invalid_arguments') };
  const messages = validateBlocks(arg.blocks, 'modal').map((m) => m.replace('json-pointer:/', 'json-pointer:/view/'));
  const title = isObj(arg.title) ? arg.title.text : undefined;
  if (typeof title !== 'string' || title.length === 0 || title.length > 24) {
    messages.push('[ERROR] must be less than 25 characters [json-pointer:/view/title/text]');
  }
  const hasInput = Array.isArray(arg.blocks) && arg.blocks.some((b) => isObj(b) && b.type === 'input');
  if (hasInput && !isObj(arg.submit)) messages.push('[ERROR] submit is required when an input block is present');
  if (messages.length > 0) return { error: fail('invalid_arguments', { response_metadata: { messages } }) };
  return { view: arg };
}

/** The view object Slack returns and sends back in payloads. */
export function viewJson(state: StandinState, id: string, view: Obj, rootId: string, previousId: string | null): Obj {
  return {
    id,
    team_id: state.opts.teamId,
    type: 'modal',
    title: view.title,
    close: view.close ?? null,
    submit: view.submit ?? null,
    blocks: withGeneratedIds(view.blocks as unknown[]),
    private_metadata: view.private_metadata ?? '',
    callback_id: view.callback_id ?? '',
    external_id: view.external_id ?? '',
    state: { values: {} },
    hash: `${Math.floor(state.now() / 1000)}.${randomBytes(4).toString('hex')}`,
    clear_on_close: view.clear_on_close ?? false,
    notify_on_close: view.notify_on_close ?? false,
    root_view_id: rootId,
    previous_view_id: previousId,
    app_id: 'A0STANDIN',
    app_installed_team_id: state.opts.teamId,
    bot_id: state.opts.botId,
  };
}

/** Puts a checked view on top of the user's stack. */
export function pushView(state: StandinState, user: string, view: Obj): StandinView {
  const stack = state.viewStack(user);
  const id = state.newId('V');
  const below = stack[stack.length - 1];
  const entry: StandinView = {
    id,
    user,
    view: viewJson(state, id, view, below?.view.root_view_id ?? id, below?.id ?? null),
  };
  state.views.push(entry);
  state.notify();
  return entry;
}

/** Replaces a view's content in place (same id), clearing any field errors. */
export function replaceView(state: StandinState, entry: StandinView, view: Obj): void {
  entry.view = viewJson(state, entry.id, view, entry.view.root_view_id, entry.view.previous_view_id);
  delete entry.errors;
  state.notify();
}

/** views.open: needs a fresh, unused trigger_id the stand-in issued. */
export function viewsOpen(state: StandinState, args: Obj): Obj {
  const checked = checkView(args.view);
  if ('error' in checked) return checked.error;
  const trigger = state.takeTrigger(args.trigger_id);
  if ('error' in trigger) return fail(trigger.error);
  for (const v of state.viewStack(trigger.user)) state.removeView(v);
  return { ok: true, view: pushView(state, trigger.user, checked.view).view };
}

/** views.push: like views.open, on top of the user's open modal. */
export function viewsPush(state: StandinState, args: Obj): Obj {
  const checked = checkView(args.view);
  if ('error' in checked) return checked.error;
  const trigger = state.takeTrigger(args.trigger_id);
  if ('error' in trigger) return fail(trigger.error);
  if (state.viewStack(trigger.user).length >= MAX_STACK) return fail('push_limit_reached');
  return { ok: true, view: pushView(state, trigger.user, checked.view).view };
}

/** views.update: by view_id or external_id, with an optional hash guarding against races. */
export function viewsUpdate(state: StandinState, args: Obj): Obj {
  const viewId = str(args.view_id);
  const externalId = str(args.external_id);
  if (!viewId && !externalId) return fail('invalid_arguments');
  const entry = state.views.find((v) => (viewId ? v.id === viewId : v.view.external_id === externalId));
  if (!entry) return fail('not_found');
  if (str(args.hash) && args.hash !== entry.view.hash) return fail('hash_conflict');
  const checked = checkView(args.view);
  if ('error' in checked) return checked.error;
  replaceView(state, entry, checked.view);
  return { ok: true, view: entry.view };
}
