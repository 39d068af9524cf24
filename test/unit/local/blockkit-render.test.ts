import { describe, expect, it } from 'vitest';
import {
  h,
  mrkdwn,
  renderBlocks,
  renderMessageBody,
  renderModal,
  toDom,
  toHtml,
  type VChild,
  type VNode,
} from '../../../src/local/console/render.js';

const ctx = { users: { U1: 'alice' }, channels: { C1: 'general' } };
const html = (text: string) => toHtml(mrkdwn(text, ctx));

/** Every element in a tree, depth first. */
function all(nodes: VChild[]): VNode[] {
  return nodes.flatMap((n) => (typeof n === 'string' ? [] : [n, ...all(n.children)]));
}
/** The text a browser would show. */
function text(nodes: VChild[]): string {
  return nodes.map((n) => (typeof n === 'string' ? n : text(n.children))).join('');
}

describe('mrkdwn escaping', () => {
  it('shows an escaped <script> token name as inert text', () => {
    const nodes = mrkdwn('Created *&lt;script&gt;alert(1)&lt;/script&gt;*', ctx);
    expect(text(nodes)).toBe('Created <script>alert(1)</script>');
    expect(toHtml(nodes)).not.toMatch(/<script/i);
    expect(all(nodes).map((n) => n.tag)).toEqual(['b']);
  });

  it('keeps an unescaped <script> inert too, as literal text', () => {
    const nodes = mrkdwn('<script>alert(1)</script>', ctx);
    expect(all(nodes)).toEqual([]);
    expect(text(nodes)).toBe('<script>alert(1)</script>');
    expect(toHtml(nodes)).toBe('&#60;script&#62;alert(1)&#60;/script&#62;');
  });

  it('renders escaped mention syntax as text, never as a mention', () => {
    for (const escaped of ['&lt;!channel&gt;', '&lt;@U1&gt;', '&lt;!here|here&gt;']) {
      const nodes = mrkdwn(`name ${escaped}`, ctx);
      expect(all(nodes)).toEqual([]);
      expect(text(nodes)).toBe(`name ${escaped.replace('&lt;', '<').replace('&gt;', '>')}`);
    }
  });

  it('renders real mentions the way Slack would, so an unescaped one is visible', () => {
    const [broadcast] = all(mrkdwn('<!channel>', ctx));
    expect(broadcast).toMatchObject({ tag: 'span', attrs: { class: 'mention broadcast' }, children: ['@channel'] });
    expect(text(mrkdwn('hi <@U1> in <#C1> and <@U9|bob>', ctx))).toBe('hi @alice in #general and @bob');
    expect(text(mrkdwn('<!subteam^S1|@security>', ctx))).toBe('@security');
  });

  it('decodes entities exactly once', () => {
    expect(text(mrkdwn('a &amp;lt; b &amp; c', ctx))).toBe('a &lt; b & c');
    expect(html('a &amp;lt; b')).toBe('a &#38;lt; b');
  });

  it('links only http, https and mailto targets', () => {
    const [link] = all(mrkdwn('<https://example.com/a?b=1&amp;c=2|docs>', ctx));
    expect(link).toMatchObject({ tag: 'a', attrs: { href: 'https://example.com/a?b=1&c=2' }, children: ['docs'] });
    const evil = mrkdwn('<javascript:alert(1)|click>', ctx);
    expect(all(evil)).toEqual([]);
    expect(toHtml([h('a', { href: 'javascript:alert(1)' }, 'x')])).toBe('<a>x</a>');
  });
});

describe('mrkdwn formatting', () => {
  it('maps *bold*, _italic_, ~strike~ and `code`, without formatting inside code', () => {
    expect(html('*b* _i_ ~s~ `*x*`')).toBe('<b>b</b> <i>i</i> <s>s</s> <code>*x*</code>');
  });

  it('nests emphasis and leaves snake_case and 2*3*4 alone', () => {
    expect(html('*bold _both_*')).toBe('<b>bold <i>both</i></b>');
    expect(html('my_token_name and 2*3*4')).toBe('my_token_name and 2*3*4');
  });

  it('renders fenced code blocks literally and quotes and line breaks', () => {
    expect(html('```\n*not bold* &lt;x&gt;\n```')).toBe('<pre>*not bold* &#60;x&#62;\n</pre>');
    expect(html('&gt; quoted\nplain\nline')).toBe('<blockquote>quoted</blockquote>plain<br>line');
  });

  it('shows common emoji shortcodes', () => {
    expect(text(mrkdwn(':white_check_mark: done :unknown_thing:', ctx))).toBe('✅ done :unknown_thing:');
  });
});

describe('blocks', () => {
  const blocks = [
    { type: 'header', text: { type: 'plain_text', text: 'Token <created>' } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: '*Name*' },
      fields: [
        { type: 'mrkdwn', text: 'a' },
        { type: 'plain_text', text: '*b*' },
      ],
    },
    { type: 'divider' },
    { type: 'context', elements: [{ type: 'mrkdwn', text: 'by <@U1>' }] },
    {
      type: 'actions',
      block_id: 'act',
      elements: [
        {
          type: 'button',
          action_id: 'revoke',
          style: 'danger',
          text: { type: 'plain_text', text: 'Revoke' },
          confirm: {},
        },
        { type: 'button', action_id: 'ok', style: 'primary', text: { type: 'plain_text', text: 'OK' } },
      ],
    },
    { type: 'carousel' },
  ];

  it('maps each block to its element', () => {
    const nodes = renderBlocks(blocks, ctx);
    expect(nodes.map((n) => `${n.tag}.${n.attrs.class}`)).toEqual([
      'h3.block header',
      'div.block section',
      'hr.block divider',
      'div.block context',
      'div.block actions',
      'div.block unsupported',
    ]);
    expect(text([nodes[0]!])).toBe('Token <created>');
    expect(
      all([nodes[1]!])
        .filter((n) => n.attrs.class === 'field')
        .map((f) => text([f])),
    ).toEqual(['a', '*b*']);
    expect(text([nodes[3]!])).toBe('by @alice');
  });

  it('renders buttons with their style and action_id for the console to click', () => {
    const buttons = all(renderBlocks(blocks, ctx)).filter((n) => n.tag === 'button');
    expect(buttons.map((b) => [b.attrs.class, b.attrs['data-action-id'], text([b])])).toEqual([
      ['btn danger', 'revoke', 'Revoke'],
      ['btn primary', 'ok', 'OK'],
    ]);
  });

  it('falls back to the text as mrkdwn for messages without blocks', () => {
    expect(toHtml(renderMessageBody({ text: '*hi*' }, ctx))).toBe(
      '<div class="block section"><div class="section-main"><b>hi</b></div></div>',
    );
  });
});

describe('modals', () => {
  const entry = {
    id: 'V1',
    errors: { name: 'Name taken' },
    view: {
      title: { type: 'plain_text', text: 'Create token' },
      submit: { type: 'plain_text', text: 'Create' },
      blocks: [
        {
          type: 'input',
          block_id: 'name',
          label: { type: 'plain_text', text: 'Name' },
          element: { type: 'plain_text_input', action_id: 'v', initial_value: '"><img>' },
        },
        {
          type: 'input',
          block_id: 'tier',
          optional: true,
          label: { type: 'plain_text', text: 'Tier' },
          element: {
            type: 'static_select',
            action_id: 't',
            options: [{ text: { type: 'plain_text', text: 'Free' }, value: 'free' }],
          },
        },
      ],
    },
  };

  it('renders inputs named block_id.action_id, optional labels, field errors and Submit/Cancel', () => {
    const nodes = all([renderModal(entry, ctx)]);
    const named = nodes.filter((n) => n.attrs.name).map((n) => [n.tag, n.attrs.name]);
    expect(named).toEqual([
      ['input', 'name.v'],
      ['select', 'tier.t'],
    ]);
    expect(nodes.find((n) => n.attrs.class === 'field-error')?.children).toEqual(['Name taken']);
    expect(text(nodes.filter((n) => n.attrs.class === 'optional'))).toBe(' (optional)');
    expect(nodes.filter((n) => n.tag === 'button').map((b) => text([b]))).toEqual(['×', 'Cancel', 'Create']);
    expect(toHtml([renderModal(entry, ctx)])).toContain('value="&#34;&#62;&#60;img&#62;"');
  });
});

describe('toDom', () => {
  it('builds elements and text nodes only, dropping unknown tags and attributes', () => {
    const log: string[] = [];
    const doc = {
      createElement: (tag: string) => {
        log.push(`<${tag}>`);
        return { setAttribute: (k: string, v: string) => log.push(`${k}=${v}`), appendChild: () => undefined };
      },
      createTextNode: (t: string) => log.push(`text:${t}`),
    };
    toDom([h('script', {}, 'x'), h('b', { onclick: 'evil()', class: 'c' }, '<i>')], doc);
    expect(log).toEqual(['text:x', '<b>', 'class=c', 'text:<i>']);
  });

  it('formats verbatim mrkdwn: verbatim only turns off auto-linking', () => {
    const text = { type: 'mrkdwn', text: '*b* `c` ```s```', verbatim: true };
    const out = toHtml(renderMessageBody({ blocks: [{ type: 'section', text }] }, ctx));
    expect(out).toContain('<b>b</b>');
    expect(out).toContain('<code>c</code>');
    expect(out).toContain('<pre>s</pre>');
  });
});
