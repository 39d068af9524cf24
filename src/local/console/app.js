/* global document, window, fetch, EventSource, localStorage, setTimeout, clearTimeout, CSS */
// The console page: a small Slack over the stand-in. Every message goes through render.js and toDom,
// which only creates elements and text nodes: nothing from a message is ever parsed as HTML.
import { renderHome, renderMessageBody, renderModal, toDom } from './render.js';

const $ = (id) => document.getElementById(id);
const ui = { snapshot: null, channel: null, viewKey: '', history: [], historyAt: -1, hintIndex: -1 };

function mount(parent, nodes) {
  parent.replaceChildren(...toDom(nodes, document));
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

function toast(text) {
  const t = $('toast');
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (t.hidden = true), 4000);
}

async function post(path, body) {
  const res = await fetch(`/_console/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: me(), ...body }),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) toast(json.error ?? `HTTP ${res.status}`);
  return json;
}

function me() {
  return $('user').value || localStorage.getItem('standin.user') || '';
}

async function refresh() {
  const res = await fetch(`/_console/state?user=${encodeURIComponent(me())}`);
  ui.snapshot = await res.json();
  const s = ui.snapshot;
  if (!ui.channel || !s.channels.some((c) => c.id === ui.channel)) ui.channel = s.channels[0]?.id;
  renderUsers(s);
  renderChannels(s);
  renderMessages(s);
  renderView(s);
}

function renderUsers(s) {
  const select = $('user');
  if (select.options.length !== s.users.length) {
    select.replaceChildren(...s.users.map((u) => el('option', { value: u.id }, u.realName ?? u.name)));
  }
  select.value = s.me;
  $('user-label').textContent = s.users.find((u) => u.id === s.me)?.label ?? '';
}

function channelTitle(c) {
  if (c.kind === 'home') return '🏠 Home';
  return c.kind === 'dm' ? `DM: ${c.name}` : `# ${c.name}`;
}

function renderChannels(s) {
  const links = s.channels.map((c) => {
    const attrs = { 'data-channel': c.id, 'data-kind': c.kind, 'data-testid': 'channel-link' };
    const a = el('a', { ...attrs, class: c.id === ui.channel ? 'active' : '' }, channelTitle(c));
    if (c.kind === 'audit') a.append(el('span', { class: 'tag' }, 'audit'));
    return a;
  });
  $('channels').replaceChildren(...links);
  const current = s.channels.find((c) => c.id === ui.channel);
  $('channel-title').textContent = current ? channelTitle(current) : '';
  $('input').placeholder =
    current?.kind === 'dm' || current?.kind === 'home'
      ? 'Message tokenops — try /token help'
      : `Message #${current?.name ?? ''} — try /token help`;
}

function renderMessages(s) {
  const box = $('messages');
  if (ui.channel === 'HOME') {
    mount(box, [renderHome(s.home, s.ctx)]);
    return;
  }
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const msgs = s.messages.filter((m) => m.channel === ui.channel);
  if (msgs.length === 0) {
    box.replaceChildren(el('div', { class: 'empty' }, 'No messages yet. Type /token help below.'));
    return;
  }
  box.replaceChildren(...msgs.map((m) => messageElement(m, s)));
  if (atBottom) box.scrollTop = box.scrollHeight;
}

function messageElement(m, s) {
  const time = new Date(m.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const head = el('div', { class: 'msg-head' }, el('span', { class: 'author' }, m.author));
  if (m.isBot) head.append(el('span', { class: 'app-badge' }, 'APP'));
  head.append(el('span', { class: 'time', title: m.ts }, time));
  const body = el('div', { class: 'msg-content' });
  mount(body, renderMessageBody(m, s.ctx));
  const col = el('div', { class: 'msg-body' }, head, body);
  if (m.ephemeralTo) col.append(el('div', { class: 'only-you', 'data-testid': 'only-you' }, 'Only visible to you'));
  const avatar = el('div', { class: `avatar${m.isBot ? ' bot' : ''}` }, (m.author ?? '?').slice(0, 1).toUpperCase());
  const attrs = { class: `msg${m.ephemeralTo ? ' ephemeral' : ''}`, 'data-message-id': m.id, 'data-testid': 'message' };
  return el('div', attrs, avatar, col);
}

function renderView(s) {
  const root = $('modal-root');
  const v = s.view;
  const key = v ? `${v.id}:${v.view.hash}:${JSON.stringify(v.errors ?? {})}` : '';
  if (key === ui.viewKey) return;
  const typed = v && ui.viewKey.startsWith(`${v.id}:${v.view.hash}:`) ? formValues() : {};
  ui.viewKey = key;
  if (!v) return root.replaceChildren();
  mount(root, [renderModal(v, s.ctx)]);
  for (const [name, value] of Object.entries(typed)) {
    const input = root.querySelector(`[name="${CSS.escape(name)}"]`);
    if (input) input.value = value;
  }
  root.querySelector('input, textarea, select')?.focus();
}

function formValues() {
  const values = {};
  for (const input of $('modal-root').querySelectorAll('[name]')) values[input.name] = input.value;
  return values;
}

/** Finds a button's definition (for its confirm dialog) in a message's blocks. */
function findButton(blocks, actionId) {
  for (const b of blocks ?? []) {
    const els = b.type === 'actions' ? (b.elements ?? []) : [b.accessory];
    const found = els.find((e) => e && e.action_id === actionId);
    if (found) return found;
  }
  return undefined;
}

function confirmDialog(confirm) {
  const d = $('confirm');
  $('confirm-title').textContent = confirm.title?.text ?? 'Are you sure?';
  $('confirm-text').replaceChildren(
    ...toDom(renderMessageBody({ text: confirm.text?.text ?? '' }, ui.snapshot.ctx), document),
  );
  $('confirm-ok').textContent = confirm.confirm?.text ?? 'Yes';
  $('confirm-ok').className = `btn primary${confirm.style === 'danger' ? ' danger' : ''}`;
  $('confirm-deny').textContent = confirm.deny?.text ?? 'Cancel';
  d.showModal();
  return new Promise((resolve) => {
    const done = (ok) => {
      d.close();
      $('confirm-ok').onclick = $('confirm-deny').onclick = d.oncancel = null;
      resolve(ok);
    };
    $('confirm-ok').onclick = () => done(true);
    $('confirm-deny').onclick = () => done(false);
    d.oncancel = () => done(false);
  });
}

async function onHomeClick(button) {
  const def = findButton(ui.snapshot.home?.view?.blocks, button.dataset.actionId);
  if (def?.confirm && !(await confirmDialog(def.confirm))) return;
  button.disabled = true;
  await post('view-action', { home: true, actionId: button.dataset.actionId, value: def?.value });
  button.disabled = false;
}

function openHome() {
  ui.channel = 'HOME';
  post('home');
  refresh();
}

async function onMessageClick(event) {
  const button = event.target.closest('button[data-action-id]');
  if (!button) return;
  if (button.closest('[data-testid="home"]')) return onHomeClick(button);
  const messageId = button.closest('[data-message-id]')?.dataset.messageId;
  const message = ui.snapshot.messages.find((m) => m.id === messageId);
  const def = findButton(message?.blocks, button.dataset.actionId);
  if (def?.confirm && !(await confirmDialog(def.confirm))) return;
  if (button.dataset.url) window.open(button.dataset.url, '_blank', 'noopener');
  button.disabled = true;
  await post('action', { messageId, actionId: button.dataset.actionId });
  button.disabled = false;
}

async function onModalEvent(event) {
  const form = event.target.closest('form[data-view-id]');
  if (!form) return;
  const dispatch = event.target.dataset?.dispatchAction;
  if (event.type === 'change') {
    if (dispatch && event.target.value) {
      await post('view-action', { actionId: dispatch, value: event.target.value, values: formValues() });
    }
    return;
  }
  if (event.type === 'submit') {
    event.preventDefault();
    await post('submit', { values: formValues() });
  } else if (event.target.closest('[data-close]')) {
    await post('close', { viewId: form.dataset.viewId });
  }
}

// --- composer with /token hints -------------------------------------------------------------
function hintItems(text) {
  const h = ui.snapshot?.hints;
  if (!h || !text.startsWith('/')) return [];
  if (!text.includes(' '))
    return '/token'.startsWith(text) ? [{ value: '/token ', label: '/token', usage: 'manage API tokens' }] : [];
  const m = /^\/token\s+(\S*)(\s+(\S*))?$/.exec(text);
  if (!m) return [];
  if (m[2] === undefined) {
    return h.commands
      .filter((c) => c.name.startsWith(m[1]))
      .map((c) => ({ value: `/token ${c.name} `, label: c.name, usage: c.usage.replace(/^\/token \S+ ?/, '') }));
  }
  const takesProvider = ['list', 'create', 'audit'].includes(m[1]);
  if (!takesProvider) return [];
  return h.providers
    .filter((p) => p.startsWith(m[3]))
    .map((p) => ({ value: `/token ${m[1]} ${p}`, label: p, usage: 'provider' }));
}

function renderHints() {
  const list = $('hints');
  const items = hintItems($('input').value);
  ui.hintItems = items;
  if (items.length === 0) {
    list.hidden = true;
    return;
  }
  ui.hintIndex = Math.min(ui.hintIndex, items.length - 1);
  list.replaceChildren(
    ...items.map((it, i) => {
      const li = el(
        'li',
        { role: 'option', class: i === ui.hintIndex ? 'sel' : '', 'data-index': String(i) },
        it.label,
      );
      li.append(el('span', { class: 'usage' }, it.usage));
      return li;
    }),
  );
  list.hidden = false;
}

function acceptHint(i) {
  const it = ui.hintItems?.[i];
  if (!it) return false;
  $('input').value = it.value;
  ui.hintIndex = -1;
  renderHints();
  $('input').focus();
  return true;
}

function onComposerKey(event) {
  const open = !$('hints').hidden;
  const n = ui.hintItems?.length ?? 0;
  if (open && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
    event.preventDefault();
    ui.hintIndex =
      (ui.hintIndex + (event.key === 'ArrowDown' ? 1 : n - 1) + (ui.hintIndex < 0 && event.key === 'ArrowUp' ? 1 : 0)) %
      n;
    return renderHints();
  }
  if (open && (event.key === 'Tab' || (event.key === 'Enter' && ui.hintIndex >= 0))) {
    event.preventDefault();
    return acceptHint(Math.max(ui.hintIndex, 0));
  }
  if (event.key === 'Escape') return void ($('hints').hidden = true);
  if (!open && event.key === 'ArrowUp' && !$('input').value && ui.history.length) {
    event.preventDefault();
    $('input').value = ui.history[ui.history.length - 1];
  }
}

async function onSend(event) {
  event.preventDefault();
  const text = $('input').value.trim();
  if (!text) return;
  $('input').value = '';
  renderHints();
  ui.history.push(text);
  const channel = ui.channel === 'HOME' ? ui.snapshot.channels[0]?.id : ui.channel;
  const reply = await post('command', { channel, text });
  if (reply.status === 0) toast(`The bot did not answer: ${reply.body?.error ?? 'no response'}`);
}

function start() {
  $('user').value = localStorage.getItem('standin.user') ?? '';
  $('user').addEventListener('change', () => {
    localStorage.setItem('standin.user', $('user').value);
    ui.viewKey = '';
    refresh();
  });
  $('channels').addEventListener('click', (e) => {
    const a = e.target.closest('[data-channel]');
    if (!a) return;
    if (a.dataset.kind === 'home') return openHome();
    ui.channel = a.dataset.channel;
    refresh();
  });
  $('messages').addEventListener('click', onMessageClick);
  $('modal-root').addEventListener('click', onModalEvent);
  $('modal-root').addEventListener('submit', onModalEvent);
  $('modal-root').addEventListener('change', onModalEvent);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && ui.snapshot?.view && !$('confirm').open) post('close', { viewId: ui.snapshot.view.id });
  });
  $('composer').addEventListener('submit', onSend);
  $('input').addEventListener('input', () => renderHints());
  $('input').addEventListener('keydown', onComposerKey);
  $('hints').addEventListener('mousedown', (e) => {
    const li = e.target.closest('li[data-index]');
    if (!li) return;
    e.preventDefault();
    acceptHint(Number(li.dataset.index));
  });
  new EventSource('/_console/events').addEventListener('change', () => refresh());
  refresh().then(() => $('input').focus());
}

start();
