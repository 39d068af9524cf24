/**
 * Block Kit → virtual DOM, shared by the console in the browser (served compiled) and unit tests in node.
 * Interactive elements carry data-* attributes; the console app wires them up.
 */
import { mrkdwn, plainText, type RenderContext } from './mrkdwn.js';
import { h, type VChild, type VNode } from './vnode.js';

export { decodeEntities, mrkdwn, plainText, type RenderContext } from './mrkdwn.js';
export { escapeHtml, h, toDom, toHtml, type VChild, type VNode } from './vnode.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A text object (mrkdwn or plain_text). */
export function textObject(t: unknown, ctx: RenderContext): VChild[] {
  if (!isObj(t)) return [];
  // `verbatim` only stops Slack auto-linking bare URLs and names (which this renderer never does): formatting stays.
  if (t.type === 'mrkdwn') return mrkdwn(str(t.text), ctx);
  return plainText(str(t.text), t.emoji !== false);
}

/** A message body: its blocks when it has any, else its text as mrkdwn (as Slack does). */
export function renderMessageBody(msg: { text?: string; blocks?: unknown[] }, ctx: RenderContext): VChild[] {
  if (Array.isArray(msg.blocks) && msg.blocks.length > 0) return renderBlocks(msg.blocks, ctx);
  return [textBlock(mrkdwn(msg.text ?? '', ctx))];
}

/** A section-like block holding only text. */
function textBlock(children: VChild[]): VNode {
  return h('div', { class: 'block section' }, h('div', { class: 'section-main' }, ...children));
}

/** Renders blocks; `errors` (by block_id) are shown under modal inputs. */
export function renderBlocks(blocks: unknown[], ctx: RenderContext, errors: Record<string, string> = {}): VNode[] {
  return blocks.filter(isObj).map((b) => renderBlock(b, ctx, errors));
}

function renderBlock(b: Obj, ctx: RenderContext, errors: Record<string, string>): VNode {
  const blockId = str(b.block_id) || undefined;
  switch (b.type) {
    case 'section':
      return h(
        'div',
        { class: 'block section', 'data-block-id': blockId },
        h('div', { class: 'section-main' }, ...textObject(b.text, ctx), ...fields(b.fields, ctx)),
        ...(isObj(b.accessory) ? [h('div', { class: 'accessory' }, element(b.accessory, ctx))] : []),
      );
    case 'header':
      return h('h3', { class: 'block header' }, ...textObject(b.text, ctx));
    case 'divider':
      return h('hr', { class: 'block divider' });
    case 'context':
      return h('div', { class: 'block context' }, ...list(b.elements).map((e) => contextElement(e, ctx)));
    case 'actions':
      return h(
        'div',
        { class: 'block actions', 'data-block-id': blockId },
        ...list(b.elements).map((e) => element(e, ctx)),
      );
    case 'input':
      return inputBlock(b, ctx, errors[str(b.block_id)]);
    case 'markdown':
      return textBlock(mrkdwn(str(b.text), ctx));
    case 'rich_text':
      return textBlock(plainText(richText(b)));
    case 'image':
      return h('div', { class: 'block context' }, `[image: ${str(b.alt_text)}]`);
    default:
      return h('div', { class: 'block unsupported' }, `[unsupported block: ${str(b.type) || '?'}]`);
  }
}

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter(isObj) : [];
}

function fields(v: unknown, ctx: RenderContext): VNode[] {
  const fs = list(v);
  if (fs.length === 0) return [];
  return [h('div', { class: 'fields' }, ...fs.map((f) => h('div', { class: 'field' }, ...textObject(f, ctx))))];
}

function contextElement(e: Obj, ctx: RenderContext): VNode {
  if (e.type === 'image') return h('span', { class: 'ctx-item' }, `[${str(e.alt_text)}]`);
  return h('span', { class: 'ctx-item' }, ...textObject(e, ctx));
}

/** Collects the text of a rich_text block (enough to read it; styles are not kept). */
function richText(node: unknown): string {
  if (!isObj(node)) return '';
  if (node.type === 'user') return `<@${str(node.user_id)}>`;
  if (node.type === 'emoji') return `:${str(node.name)}:`;
  if (typeof node.text === 'string') return node.text;
  if (node.type === 'link') return str(node.url);
  const sep = node.type === 'rich_text' || node.type === 'rich_text_list' ? '\n' : '';
  return list(node.elements).map(richText).join(sep);
}

/** An interactive element in a message or modal (buttons are the ones the console can click). */
function element(e: Obj, ctx: RenderContext): VNode {
  const actionId = str(e.action_id) || undefined;
  if (e.type === 'button') {
    const style = e.style === 'primary' || e.style === 'danger' ? ` ${e.style}` : '';
    return h(
      'button',
      { type: 'button', class: `btn${style}`, 'data-action-id': actionId, 'data-url': str(e.url) || undefined },
      ...textObject(e.text, ctx),
    );
  }
  if (e.type === 'static_select' || e.type === 'overflow') {
    const title = 'Not clickable in the console';
    return h('select', { disabled: true, title }, ...options(e, ctx, undefined));
  }
  if (e.type === 'image') return h('span', { class: 'ctx-item' }, `[${str(e.alt_text)}]`);
  return h('span', { class: 'unsupported' }, `[${str(e.type)}]`);
}

function options(e: Obj, ctx: RenderContext, selected: string | undefined): VNode[] {
  const opts = [...list(e.options), ...list(e.option_groups).flatMap((g) => list(g.options))];
  const placeholder = isObj(e.placeholder) ? str(e.placeholder.text) : 'Select an item';
  return [
    h('option', { value: '' }, placeholder),
    ...opts.map((o) =>
      h('option', { value: str(o.value), selected: str(o.value) === selected }, ...textObject(o.text, ctx)),
    ),
  ];
}

function inputBlock(b: Obj, ctx: RenderContext, error: string | undefined): VNode {
  const raw = isObj(b.element) ? b.element : {};
  // A select whose block asks for dispatch_action tells the bot as soon as a choice is made (Slack does).
  const el = b.dispatch_action === true ? { ...raw, 'data-dispatch': str(raw.action_id) } : raw;
  const name = `${str(b.block_id)}.${str(el.action_id)}`;
  const id = `in-${name}`;
  return h(
    'div',
    { class: `block input${error ? ' has-error' : ''}`, 'data-block-id': str(b.block_id) },
    h(
      'label',
      { for: id },
      ...textObject(b.label, ctx),
      ...(b.optional === true ? [h('small', { class: 'optional' }, ' (optional)')] : []),
    ),
    inputElement(el, name, id, ctx),
    ...(isObj(b.hint) ? [h('small', { class: 'hint' }, ...textObject(b.hint, ctx))] : []),
    ...(error ? [h('div', { class: 'field-error', role: 'alert' }, error)] : []),
  );
}

function inputElement(el: Obj, name: string, id: string, ctx: RenderContext): VNode {
  const placeholder = isObj(el.placeholder) ? str(el.placeholder.text) : undefined;
  const dispatch = str(el['data-dispatch']) || undefined;
  const common = { id, name, 'data-type': str(el.type), placeholder, 'data-dispatch-action': dispatch };
  switch (el.type) {
    case 'plain_text_input': {
      const max = typeof el.max_length === 'number' ? String(el.max_length) : undefined;
      if (el.multiline === true) return h('textarea', { ...common, rows: '3', maxlength: max }, str(el.initial_value));
      return h('input', { ...common, type: 'text', value: str(el.initial_value), maxlength: max });
    }
    case 'static_select':
    case 'radio_buttons':
      return h(
        'select',
        common,
        ...options(el, ctx, isObj(el.initial_option) ? str(el.initial_option.value) : undefined),
      );
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input': {
      const type = el.type === 'number_input' ? 'number' : el.type === 'email_text_input' ? 'email' : 'url';
      return h('input', { ...common, type, value: str(el.initial_value) });
    }
    case 'datepicker':
      return h('input', { ...common, type: 'date', value: str(el.initial_date) });
    default:
      return h('span', { class: 'unsupported' }, `[${str(el.type)} input]`);
  }
}

/** The app's Home tab: its blocks on a page of their own; buttons carry data-action-id like in messages. */
export function renderHome(entry: { id: string; view: Obj } | null, ctx: RenderContext): VNode {
  if (!entry) {
    return h(
      'div',
      { class: 'home empty', 'data-testid': 'home' },
      'Loading the Home tab… (the bot publishes it when you open it)',
    );
  }
  return h(
    'div',
    { class: 'home', 'data-testid': 'home', 'data-view-id': entry.id },
    ...renderBlocks(list(entry.view.blocks), ctx),
  );
}

/** A modal: title bar, blocks with field errors, a general error line, Cancel and Submit. */
export function renderModal(
  entry: { id: string; view: Obj; errors?: Record<string, string> },
  ctx: RenderContext,
): VNode {
  const v = entry.view;
  const errors = entry.errors ?? {};
  const close = isObj(v.close) ? v.close : { type: 'plain_text', text: 'Cancel' };
  return h(
    'div',
    { class: 'modal-backdrop' },
    h(
      'form',
      { class: 'modal', 'data-view-id': entry.id, role: 'dialog', 'aria-modal': 'true', 'data-testid': 'modal' },
      h(
        'div',
        { class: 'modal-title' },
        h('span', {}, ...textObject(v.title, ctx)),
        h('button', { type: 'button', class: 'x', 'data-close': 'true', title: 'Close' }, '×'),
      ),
      h('div', { class: 'modal-body' }, ...renderBlocks(list(v.blocks), ctx, errors)),
      ...(errors[''] ? [h('div', { class: 'field-error', role: 'alert' }, errors[''])] : []),
      h(
        'div',
        { class: 'modal-actions' },
        h('button', { type: 'button', class: 'btn', 'data-close': 'true' }, ...textObject(close, ctx)),
        ...(isObj(v.submit)
          ? [h('button', { type: 'submit', class: 'btn primary' }, ...textObject(v.submit, ctx))]
          : []),
      ),
    ),
  );
}
