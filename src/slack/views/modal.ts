// The `/token create` modal (opened when the command has no arguments). Field ids are what the
// view_submission handler reads: block ids `target`, `name`, `tier`, `expires`, `scopes`, `hosts`,
// `reason`, each with action id `value`.
import { plainText, section, type Block } from './blocks.js';

/** A modal view for `views.open`. */
export interface ModalView {
  type: 'modal';
  callback_id: string;
  title: Record<string, unknown>;
  submit?: Record<string, unknown>;
  close: Record<string, unknown>;
  private_metadata: string;
  blocks: Block[];
}

/** Callback id of the create modal. */
export const CREATE_MODAL_CALLBACK_ID = 'create_token';

const MODAL_TITLE = 24;
const MAX_OPTIONS = 100;
const OPTION_TEXT = 75;
const OPTION_VALUE = 150;
const PLACEHOLDER = 150;

function textInput(
  blockId: string,
  label: string,
  opts: { placeholder?: string; hint?: string; optional?: boolean; maxLength: number; multiline?: boolean },
): Block {
  const element: Record<string, unknown> = { type: 'plain_text_input', action_id: 'value', max_length: opts.maxLength };
  if (opts.placeholder) element.placeholder = plainText(opts.placeholder, PLACEHOLDER);
  if (opts.multiline) element.multiline = true;
  const block: Block = { type: 'input', block_id: blockId, label: plainText(label, 2000), element };
  if (opts.optional) block.optional = true;
  if (opts.hint) block.hint = plainText(opts.hint, 2000);
  return block;
}

function targetSelect(targets: { value: string; label: string }[]): Block {
  const options = targets
    .filter((t) => t.value.length > 0 && t.value.length <= OPTION_VALUE)
    .slice(0, MAX_OPTIONS)
    .map((t) => ({ text: plainText(t.label, OPTION_TEXT), value: t.value }));
  return {
    type: 'input',
    block_id: 'target',
    label: plainText('Provider and connection'),
    element: { type: 'static_select', action_id: 'value', placeholder: plainText('Choose one'), options },
  };
}

/** The create form: target, name, and the optional tier, expiry, scopes, hosts and reason. */
export function createModalView(args: {
  targets: { value: string; label: string }[];
  privateMetadata: string;
}): ModalView {
  const base = {
    type: 'modal' as const,
    callback_id: CREATE_MODAL_CALLBACK_ID,
    title: plainText('Create a token', MODAL_TITLE),
    close: plainText('Cancel', MODAL_TITLE),
    private_metadata: args.privateMetadata,
  };
  const usable = args.targets.filter((t) => t.value.length > 0 && t.value.length <= OPTION_VALUE);
  if (usable.length === 0) {
    const why = 'None of the configured providers can create tokens over their API here. See `/token providers`.';
    return { ...base, blocks: [section(why)] };
  }
  const blocks: Block[] = [
    targetSelect(usable),
    textInput('name', 'Name', { placeholder: 'e.g. ci deploy bot', maxLength: 100 }),
    textInput('tier', 'Tier', { placeholder: 'e.g. tier1 (Triton)', optional: true, maxLength: 32 }),
    textInput('expires', 'Expires', { placeholder: '30d, 12h or 2027-01-31', optional: true, maxLength: 40 }),
    textInput('scopes', 'Scopes', {
      placeholder: 'comma separated, e.g. account:admin',
      optional: true,
      maxLength: 1000,
    }),
    textInput('hosts', 'Allowed hosts', {
      placeholder: 'comma separated, e.g. app.example.com',
      optional: true,
      maxLength: 2000,
    }),
    textInput('reason', 'Reason', { optional: true, maxLength: 500, multiline: true, hint: 'Shown in the audit log.' }),
  ];
  return { ...base, submit: plainText('Create', MODAL_TITLE), blocks };
}
