/**
 * The Block Kit limits Slack enforces (PLATFORM.md §1), so a bot that breaks one gets `invalid_blocks`
 * here as it would in Slack, with Slack's `[ERROR] … [json-pointer:…]` messages.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const KNOWN_BLOCKS = new Set([
  'section',
  'context',
  'divider',
  'header',
  'actions',
  'input',
  'image',
  'rich_text',
  'markdown',
  'video',
  'file',
]);

/** Checks blocks for a message (max 50) or a modal (max 100); returns Slack's error lines, empty when valid. */
export function validateBlocks(blocks: unknown, where: 'message' | 'modal'): string[] {
  const errors: string[] = [];
  if (!Array.isArray(blocks)) return ['[ERROR] must provide an array [json-pointer:/blocks]'];
  const max = where === 'message' ? 50 : 100;
  if (blocks.length > max) errors.push(`[ERROR] no more than ${max} items allowed [json-pointer:/blocks]`);
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => {
    const at = `/blocks/${i}`;
    if (!isObj(b) || typeof b.type !== 'string' || !KNOWN_BLOCKS.has(b.type)) {
      errors.push(`[ERROR] invalid block type [json-pointer:${at}]`);
      return;
    }
    if (typeof b.block_id === 'string') {
      if (blockIds.has(b.block_id)) errors.push(`[ERROR] duplicate block_id [json-pointer:${at}/block_id]`);
      blockIds.add(b.block_id);
    }
    checkBlock(b, at, errors);
  });
  return errors;
}

function checkBlock(b: Obj, at: string, errors: string[]): void {
  maxLen(b.block_id, 255, `${at}/block_id`, errors);
  switch (b.type) {
    case 'section':
      if (!isObj(b.text) && !Array.isArray(b.fields))
        errors.push(`[ERROR] must provide text or fields [json-pointer:${at}]`);
      textLen(b.text, 3000, `${at}/text`, errors);
      if (Array.isArray(b.fields)) {
        if (b.fields.length > 10) errors.push(`[ERROR] no more than 10 items allowed [json-pointer:${at}/fields]`);
        b.fields.forEach((f, j) => textLen(f, 2000, `${at}/fields/${j}`, errors));
      }
      if (isObj(b.accessory)) checkElement(b.accessory, `${at}/accessory`, errors);
      break;
    case 'header':
      textLen(b.text, 150, `${at}/text`, errors);
      break;
    case 'context':
      if (Array.isArray(b.elements) && b.elements.length > 10) {
        errors.push(`[ERROR] no more than 10 items allowed [json-pointer:${at}/elements]`);
      }
      break;
    case 'actions':
      checkActions(b, at, errors);
      break;
    case 'input':
      textLen(b.label, 2000, `${at}/label`, errors);
      if (isObj(b.element)) checkElement(b.element, `${at}/element`, errors);
      break;
  }
}

function checkActions(b: Obj, at: string, errors: string[]): void {
  if (!Array.isArray(b.elements))
    return void errors.push(`[ERROR] missing required field: elements [json-pointer:${at}]`);
  if (b.elements.length > 25) errors.push(`[ERROR] no more than 25 items allowed [json-pointer:${at}/elements]`);
  const ids = new Set<string>();
  b.elements.forEach((e, j) => {
    if (!isObj(e)) return;
    if (typeof e.action_id === 'string') {
      if (ids.has(e.action_id)) errors.push(`[ERROR] duplicate action_id [json-pointer:${at}/elements/${j}]`);
      ids.add(e.action_id);
    }
    checkElement(e, `${at}/elements/${j}`, errors);
  });
}

function checkElement(e: Obj, at: string, errors: string[]): void {
  maxLen(e.action_id, 255, `${at}/action_id`, errors);
  if (e.type === 'button') {
    textLen(e.text, 75, `${at}/text`, errors);
    maxLen(e.value, 2000, `${at}/value`, errors);
    if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger') {
      errors.push(`[ERROR] must be one of: primary, danger [json-pointer:${at}/style]`);
    }
  }
  if (e.type === 'static_select' || e.type === 'multi_static_select' || e.type === 'radio_buttons') {
    checkOptions(e, at, errors);
  }
  if (e.type === 'datepicker' && e.initial_date !== undefined) {
    if (typeof e.initial_date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(e.initial_date)) {
      errors.push(`[ERROR] must match YYYY-MM-DD [json-pointer:${at}/initial_date]`);
    }
  }
  if (e.type === 'plain_text_input') {
    const min = e.min_length;
    const max = e.max_length;
    if (typeof max === 'number' && (max < 1 || max > 3000)) {
      errors.push(`[ERROR] must be between 1 and 3000 [json-pointer:${at}/max_length]`);
    }
    if (typeof min === 'number' && (min < 0 || min > 3000 || (typeof max === 'number' && min > max))) {
      errors.push(`[ERROR] must be between 0 and 3000 and at most max_length [json-pointer:${at}/min_length]`);
    }
  }
  textLen(e.placeholder, 150, `${at}/placeholder`, errors);
  if (isObj(e.confirm)) {
    textLen(e.confirm.title, 100, `${at}/confirm/title`, errors);
    textLen(e.confirm.text, 300, `${at}/confirm/text`, errors);
  }
}

/** Slack: 100 options at most, option text 75 and value 150 characters, an initial option among them. */
function checkOptions(e: Obj, at: string, errors: string[]): void {
  const groups = Array.isArray(e.option_groups) ? e.option_groups.filter(isObj) : [];
  const options = [
    ...(Array.isArray(e.options) ? e.options : []),
    ...groups.flatMap((g) => (Array.isArray(g.options) ? g.options : [])),
  ];
  if (!Array.isArray(e.options) && groups.length === 0)
    errors.push(`[ERROR] must provide options [json-pointer:${at}]`);
  if (options.length > 100) errors.push(`[ERROR] no more than 100 items allowed [json-pointer:${at}/options]`);
  options.forEach((o, j) => {
    if (!isObj(o)) return;
    textLen(o.text, 75, `${at}/options/${j}/text`, errors);
    maxLen(o.value, 150, `${at}/options/${j}/value`, errors);
  });
  if (isObj(e.initial_option) && !options.some((o) => isObj(o) && o.value === (e.initial_option as Obj).value)) {
    errors.push(`[ERROR] must be one of the options [json-pointer:${at}/initial_option]`);
  }
}

function textLen(t: unknown, max: number, at: string, errors: string[]): void {
  if (t === undefined) return;
  if (!isObj(t) || typeof t.text !== 'string' || (t.type !== 'mrkdwn' && t.type !== 'plain_text')) {
    errors.push(`[ERROR] must be a text object [json-pointer:${at}]`);
    return;
  }
  maxLen(t.text, max, `${at}/text`, errors);
  if (t.text.length === 0) errors.push(`[ERROR] must be more than 0 characters [json-pointer:${at}/text]`);
}

function maxLen(v: unknown, max: number, at: string, errors: string[]): void {
  if (typeof v === 'string' && v.length > max) {
    errors.push(`[ERROR] must be less than ${max + 1} characters [json-pointer:${at}]`);
  }
}
