import { h, type VChild } from './vnode.js';

/** Names for ids that mrkdwn mentions refer to. */
export interface RenderContext {
  users?: Record<string, string>;
  channels?: Record<string, string>;
  groups?: Record<string, string>;
  /** The reader's time zone for `<!date>` (as each Slack reader sees their own). @default the runtime's */
  timeZone?: string;
  /** Now, for "today"/"yesterday" and `{ago}`. @default Date.now() */
  now?: number;
}

const DAY_MS = 86_400_000;

/** `<!date^EPOCH^FORMAT[^link]>` in the reader's time zone, as Slack formats it; undefined when malformed. */
export function formatSlackDate(token: string, now: number, timeZone?: string): string | undefined {
  const m = /^!date\^(-?\d{1,12})\^([^^|]*)/.exec(token);
  if (!m) return undefined;
  const at = Number(m[1]) * 1000;
  const tz = timeZone ? { timeZone } : {};
  const part = (opts: Intl.DateTimeFormatOptions): string =>
    new Intl.DateTimeFormat('en-US', { ...tz, ...opts }).format(at);
  const dayKey = (t: number): string => new Intl.DateTimeFormat('en-CA', { ...tz, dateStyle: 'short' }).format(t);
  const pretty = (fallback: string): string => {
    const key = dayKey(at);
    if (key === dayKey(now)) return 'today';
    if (key === dayKey(now - DAY_MS)) return 'yesterday';
    if (key === dayKey(now + DAY_MS)) return 'tomorrow';
    return fallback;
  };
  const dateShort = part({ month: 'short', day: 'numeric', year: 'numeric' });
  const dateLong = part({ weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' });
  const date = part({ month: 'long', day: 'numeric', year: 'numeric' });
  const ago = (): string => {
    const diff = at - now;
    const abs = Math.abs(diff);
    const [n, unit] =
      abs < 3_600_000
        ? [Math.round(abs / 60_000), 'minute']
        : abs < DAY_MS
          ? [Math.round(abs / 3_600_000), 'hour']
          : [Math.round(abs / DAY_MS), 'day'];
    const words = `${n} ${unit}${n === 1 ? '' : 's'}`;
    return diff < 0 ? `${words} ago` : `in ${words}`;
  };
  const tokens: Record<string, () => string> = {
    date_num: () => dayKey(at),
    date: () => date,
    date_short: () => dateShort,
    date_long: () => dateLong,
    date_pretty: () => pretty(date),
    date_short_pretty: () => pretty(dateShort),
    date_long_pretty: () => pretty(dateLong),
    time: () => part({ hour: 'numeric', minute: '2-digit' }),
    time_secs: () => part({ hour: 'numeric', minute: '2-digit', second: '2-digit' }),
    ago,
  };
  return decodeEntities(m[2] ?? '').replace(/\{([a-z_]+)\}/g, (all, name: string) => tokens[name]?.() ?? all);
}

// Private-use characters mark atoms (code spans, <…> tokens) while emphasis is parsed around them.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const ATOM = /\uE000(\d+)\uE001/;

const EMOJI: Record<string, string> = {
  white_check_mark: '✅', heavy_check_mark: '✔️', x: '❌', warning: '⚠️', key: '🔑', lock: '🔒',
  unlock: '🔓', hourglass: '⌛', hourglass_flowing_sand: '⏳', rotating_light: '🚨', no_entry: '⛔',
  no_entry_sign: '🚫', wastebasket: '🗑️', arrows_counterclockwise: '🔄', bust_in_silhouette: '👤',
  clipboard: '📋', mag: '🔍', information_source: 'ℹ️', tada: '🎉', eyes: '👀', octagonal_sign: '🛑',
  red_circle: '🔴', large_green_circle: '🟢', white_circle: '⚪', email: '📧', calendar: '📆',
  shield: '🛡️', zap: '⚡', memo: '📝', link: '🔗', pause_button: '⏸️', arrow_forward: '▶️',
  ok_hand: '👌', raising_hand: '🙋', alarm_clock: '⏰', broom: '🧹', grey_question: '❔',
  leftwards_arrow_with_hook: '↩️', wave: '👋',
}; // prettier-ignore

/** Decodes the only three entities Slack uses (`&amp;`, `&lt;`, `&gt;`) into the characters they stand for. */
export function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt);/g, (_, e: string) => (e === 'amp' ? '&' : e === 'lt' ? '<' : '>'));
}

function emoji(s: string): string {
  return s.replace(/:([a-z0-9_+-]+):/g, (m, name: string) => EMOJI[name] ?? m);
}

/** Text with line breaks as <br>. */
function lines(s: string): VChild[] {
  const out: VChild[] = [];
  s.split('\n').forEach((line, i) => {
    if (i > 0) out.push(h('br'));
    if (line) out.push(line);
  });
  return out;
}

/** A plain_text object's text: entities decoded, emoji shortcodes shown, no formatting. */
export function plainText(text: string, withEmoji = true): VChild[] {
  const decoded = decodeEntities(text);
  return lines(withEmoji ? emoji(decoded) : decoded);
}

/** Renders Slack mrkdwn as nodes: code blocks, quotes, *bold*, _italic_, ~strike~, `code`, mentions, links. */
export function mrkdwn(text: string, ctx: RenderContext = {}): VChild[] {
  const clean = text.replace(/[\uE000\uE001]/g, '\uFFFD');
  const out: VChild[] = [];
  const parts = clean.split(/```/);
  parts.forEach((part, i) => {
    // Odd parts sit between fences; an unclosed fence is plain text, as in Slack.
    const fenced = i % 2 === 1 && i < parts.length - 1;
    if (fenced) out.push(h('pre', {}, decodeEntities(part.replace(/^\n/, ''))));
    else out.push(...quotesAndLines(i % 2 === 1 ? '```' + part : part, ctx));
  });
  return out;
}

function quotesAndLines(text: string, ctx: RenderContext): VChild[] {
  const out: VChild[] = [];
  let quote: string[] = [];
  let plain: string[] = [];
  const flush = () => {
    if (plain.length) out.push(...inline(plain.join('\n'), ctx));
    if (quote.length) out.push(h('blockquote', {}, ...inline(quote.join('\n'), ctx)));
    plain = [];
    quote = [];
  };
  for (const line of text.split('\n')) {
    const m = /^(?:&gt;|>) ?(.*)$/.exec(line);
    if (m ? plain.length : quote.length) flush();
    (m ? quote : plain).push(m ? m[1]! : line);
  }
  flush();
  return out;
}

function inline(text: string, ctx: RenderContext): VChild[] {
  const atoms: VChild[] = [];
  const marked = text.replace(
    /`([^`\n]+)`|<([^<>\n]*)>/g,
    (_m, code: string | undefined, token: string | undefined) => {
      atoms.push(code !== undefined ? h('code', {}, decodeEntities(code)) : angleToken(token ?? '', ctx));
      return `${OPEN}${atoms.length - 1}${CLOSE}`;
    },
  );
  return emphasis(marked, atoms);
}

const EMPHASIS = /(^|[\s([{"'.,;:!?\-\uE001])([*_~])(\S(?:[^\n]*?\S)?)\2(?=$|[\s)\]}"'.,;:!?\-\uE000])/;
const EMPHASIS_TAG: Record<string, string> = { '*': 'b', _: 'i', '~': 's' };

function emphasis(s: string, atoms: VChild[]): VChild[] {
  const m = EMPHASIS.exec(s);
  if (!m) return expand(s, atoms);
  const start = m.index + m[1]!.length;
  const end = m.index + m[0].length;
  return [
    ...expand(s.slice(0, start), atoms),
    h(EMPHASIS_TAG[m[2]!]!, {}, ...emphasis(m[3]!, atoms)),
    ...emphasis(s.slice(end), atoms),
  ];
}

function expand(s: string, atoms: VChild[]): VChild[] {
  const out: VChild[] = [];
  const parts = s.split(ATOM);
  parts.forEach((p, i) => {
    if (i % 2 === 1) out.push(atoms[Number(p)]!);
    else if (p) out.push(...lines(emoji(decodeEntities(p))));
  });
  return out;
}

/** One `<…>` token: mention, channel, broadcast, user group, date, link; anything else stays literal text. */
function angleToken(token: string, ctx: RenderContext): VChild {
  const bar = token.indexOf('|');
  const target = bar >= 0 ? token.slice(0, bar) : token;
  const label = bar >= 0 ? decodeEntities(token.slice(bar + 1)) : undefined;
  if (/^@[UW][A-Z0-9]+$/.test(target)) {
    const id = target.slice(1);
    return h('span', { class: 'mention', 'data-user': id }, `@${ctx.users?.[id] ?? label ?? id}`);
  }
  if (/^#C[A-Z0-9]+$/.test(target)) {
    const id = target.slice(1);
    return h('span', { class: 'mention' }, `#${ctx.channels?.[id] ?? label ?? id}`);
  }
  if (/^!(channel|here|everyone)$/.test(target)) {
    return h('span', { class: 'mention broadcast' }, `@${target.slice(1)}`);
  }
  if (/^!subteam\^S[A-Z0-9]+$/.test(target)) {
    const id = target.slice('!subteam^'.length);
    return h('span', { class: 'mention' }, ctx.groups?.[id] ? `@${ctx.groups[id]}` : (label ?? `@${id}`));
  }
  if (target.startsWith('!date^')) {
    const shown = formatSlackDate(target, ctx.now ?? Date.now(), ctx.timeZone);
    return shown === undefined ? (label ?? target) : h('time', { class: 'date', title: label ?? '' }, shown);
  }
  const href = decodeEntities(target);
  if (/^(https?:\/\/|mailto:)[^\s]+$/i.test(href)) {
    return h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, label ?? href);
  }
  return `<${decodeEntities(token)}>`;
}
