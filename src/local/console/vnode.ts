/**
 * A tiny virtual DOM for the console's renderer. It runs in node (tests, `toHtml`) and in the browser
 * (`toDom`, built only with createElement / createTextNode / setAttribute), so text from Slack messages
 * is never parsed as HTML anywhere.
 */

/** A text node (a plain string) or an element. */
export type VChild = VNode | string;

/** An element: tag, attributes and children. */
export interface VNode {
  tag: string;
  attrs: Record<string, string>;
  children: VChild[];
}

/** The only elements the renderer produces; anything else is dropped at output. */
const TAGS = new Set([
  'div', 'span', 'p', 'b', 'i', 's', 'code', 'pre', 'blockquote', 'a', 'br', 'hr', 'h3', 'button',
  'input', 'textarea', 'select', 'option', 'label', 'small', 'ul', 'li', 'form',
]); // prettier-ignore
const VOID = new Set(['br', 'hr', 'input']);
const ATTR =
  /^(class|href|title|type|name|value|placeholder|rows|maxlength|target|rel|id|for|role|(data|aria)-[a-z-]+|selected|disabled|multiple|required)$/;
const SAFE_HREF = /^(https?:\/\/|mailto:)/i;

/** Builds an element; attributes with undefined or false values are left out. */
export function h(tag: string, attrs: Record<string, string | boolean | undefined> = {}, ...children: VChild[]): VNode {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    clean[k] = v === true ? '' : v;
  }
  return { tag, attrs: clean, children };
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function allowedAttrs(node: VNode): [string, string][] {
  return Object.entries(node.attrs).filter(([k, v]) => ATTR.test(k) && (k !== 'href' || SAFE_HREF.test(v)));
}

/** Serialises nodes to HTML, escaping all text and attribute values. */
export function toHtml(nodes: VChild[]): string {
  let out = '';
  for (const n of nodes) {
    if (typeof n === 'string') {
      out += escapeHtml(n);
      continue;
    }
    if (!TAGS.has(n.tag)) {
      out += toHtml(n.children);
      continue;
    }
    const attrs = allowedAttrs(n)
      .map(([k, v]) => ` ${k}="${escapeHtml(v)}"`)
      .join('');
    out += VOID.has(n.tag) ? `<${n.tag}${attrs}>` : `<${n.tag}${attrs}>${toHtml(n.children)}</${n.tag}>`;
  }
  return out;
}

/** The part of the DOM `toDom` needs (structural, so node tests can pass a fake). */
export interface DocLike<E> {
  createElement(tag: string): E;
  createTextNode(text: string): unknown;
}

/** The part of an element `toDom` needs. */
export interface ElementLike {
  setAttribute(name: string, value: string): void;
  appendChild(child: never): unknown;
}

/** Builds real DOM nodes: text goes through createTextNode, so it is never parsed as HTML. */
export function toDom<E extends ElementLike>(nodes: VChild[], doc: DocLike<E>): unknown[] {
  const out: unknown[] = [];
  for (const n of nodes) {
    if (typeof n === 'string') {
      out.push(doc.createTextNode(n));
    } else if (!TAGS.has(n.tag)) {
      out.push(...toDom(n.children, doc));
    } else {
      const el = doc.createElement(n.tag);
      for (const [k, v] of allowedAttrs(n)) el.setAttribute(k, v);
      for (const c of toDom(n.children, doc)) el.appendChild(c as never);
      out.push(el);
    }
  }
  return out;
}
