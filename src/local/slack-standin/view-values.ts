type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `view.state.values` plus the errors Slack's client shows before it would send anything. */
export interface ViewValues {
  values: Record<string, Record<string, Obj>>;
  errors: Record<string, string>;
}

const TEXT_INPUTS = new Set(['plain_text_input', 'number_input', 'email_text_input', 'url_text_input']);

/**
 * Builds `view.state.values` from what the user typed, keyed `block_id` or `block_id.action_id`;
 * untouched inputs keep their initial value, as in Slack. Required inputs left empty and text over
 * max_length become errors, because Slack's client refuses to submit those.
 */
export function buildViewValues(blocks: unknown[], typed: Record<string, string>): ViewValues {
  const out: ViewValues = { values: {}, errors: {} };
  for (const b of blocks) {
    if (!isObj(b) || b.type !== 'input' || !isObj(b.element)) continue;
    const blockId = String(b.block_id);
    const el = b.element;
    const actionId = String(el.action_id);
    const raw = typed[`${blockId}.${actionId}`] ?? typed[blockId];
    const state = elementState(el, raw);
    out.values[blockId] = { [actionId]: state.value };
    const error =
      state.error ?? (b.optional !== true && state.empty ? 'Please complete this required field.' : undefined);
    if (error) out.errors[blockId] = error;
  }
  return out;
}

function optionsOf(el: Obj): Obj[] {
  const flat = Array.isArray(el.options) ? el.options : [];
  const grouped = Array.isArray(el.option_groups)
    ? el.option_groups.flatMap((g) => (isObj(g) && Array.isArray(g.options) ? g.options : []))
    : [];
  return [...flat, ...grouped].filter(isObj);
}

function elementState(el: Obj, raw: string | undefined): { value: Obj; empty: boolean; error?: string } {
  const type = String(el.type);
  if (TEXT_INPUTS.has(type)) {
    const initial = typeof el.initial_value === 'string' ? el.initial_value : undefined;
    const value = raw ?? initial ?? null;
    const empty = value === null || value === '';
    const max = typeof el.max_length === 'number' ? el.max_length : undefined;
    const error =
      max !== undefined && value !== null && value.length > max ? `Must be ${max} characters or fewer.` : undefined;
    return { value: { type, value: empty ? null : value }, empty, ...(error ? { error } : {}) };
  }
  if (type === 'static_select' || type === 'radio_buttons') {
    const option = raw === undefined ? (isObj(el.initial_option) ? el.initial_option : null) : pickOption(el, raw);
    const error = raw && !option ? 'Select one of the options.' : undefined;
    return { value: { type, selected_option: option }, empty: !option, ...(error ? { error } : {}) };
  }
  if (type === 'multi_static_select' || type === 'checkboxes') {
    const chosen = raw === undefined ? [] : raw.split(',').filter(Boolean);
    const options = chosen.map((v) => pickOption(el, v)).filter((o): o is Obj => o !== null);
    return { value: { type, selected_options: options }, empty: options.length === 0 };
  }
  if (type === 'users_select') {
    const user = raw ?? (typeof el.initial_user === 'string' ? el.initial_user : null);
    return { value: { type, selected_user: user || null }, empty: !user };
  }
  if (type === 'datepicker') {
    const date = raw ?? (typeof el.initial_date === 'string' ? el.initial_date : null);
    return { value: { type, selected_date: date || null }, empty: !date };
  }
  return { value: { type, value: raw ?? null }, empty: !raw };
}

function pickOption(el: Obj, value: string): Obj | null {
  const o = optionsOf(el).find((opt) => opt.value === value);
  return o ? { text: o.text, value: o.value } : null;
}
