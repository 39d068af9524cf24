// The `/token create` form. It knows the provider: choosing one (a select with dispatch_action) makes
// the ingress update the modal (views.update) to show only that provider's fields, with documented
// values as selects and a date picker for expiry. Field ids are what the view_submission handler reads:
// block ids `target`, `name`, `tier`, `expires`, `scopes`, `hosts`, `reason`, each with action id `value`.
import { type ProviderType } from '../../core/token.js';
import { descriptorOf, providerLabel } from '../../providers/descriptors.js';
import { context, plainText, section, type Block } from './blocks.js';

/** A modal view for `views.open` / `views.update`. */
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
/** Action id of the provider select; choosing a provider rebuilds the form. */
export const CREATE_TARGET_ACTION = 'create_target';

const MODAL_TITLE = 24;
const MAX_OPTIONS = 100;
const OPTION_TEXT = 75;
const OPTION_VALUE = 150;
const PLACEHOLDER = 150;

/** A choice of provider connection. */
export interface CreateTarget {
  /** `provider:connection` */
  value: string;
  label: string;
}

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

function option(value: string, label: string): Record<string, unknown> {
  return { text: plainText(label, OPTION_TEXT), value };
}

function selectInput(
  blockId: string,
  label: string,
  options: Record<string, unknown>[],
  opts: { optional?: boolean; hint?: string; initial?: string; dispatch?: boolean; actionId?: string } = {},
): Block {
  const element: Record<string, unknown> = {
    type: 'static_select',
    action_id: opts.actionId ?? 'value',
    placeholder: plainText('Choose one'),
    options: options.slice(0, MAX_OPTIONS),
  };
  const initial = options.find((o) => o.value === opts.initial);
  if (initial) element.initial_option = initial;
  const block: Block = { type: 'input', block_id: blockId, label: plainText(label), element };
  if (opts.dispatch) block.dispatch_action = true;
  if (opts.optional) block.optional = true;
  if (opts.hint) block.hint = plainText(opts.hint, 2000);
  return block;
}

/** The fields one provider takes, as inputs. `needsApproval` marks tiers that go to the approvers. */
function providerFields(provider: ProviderType, needsApproval: (tier?: string) => boolean): Block[] {
  const form = descriptorOf(provider).createForm;
  const blocks: Block[] = [];
  if (form.tiers) {
    const options = form.tiers.map((t) => option(t, needsApproval(t) ? `${t} (needs approval)` : t));
    blocks.push(selectInput('tier', 'Rate tier', options, { hint: 'The Triton One rate tiers, as documented.' }));
  }
  if (form.scopes) {
    const options = form.scopes.map((s) => option(s.value, s.label));
    blocks.push(
      selectInput('scopes', 'Permission', options, {
        optional: true,
        hint: 'Leave it empty for account viewer. Finer permissions: /token create mailtrap NAME --scope project:ID:viewer',
      }),
    );
  }
  if (form.expires) {
    blocks.push({
      type: 'input',
      block_id: 'expires',
      optional: true,
      label: plainText('Expires on'),
      hint: plainText('Leave it empty for the provider default (a year for Mailtrap).'),
      element: { type: 'datepicker', action_id: 'value', placeholder: plainText('Pick a date') },
    });
  }
  if (form.hosts) {
    blocks.push(
      textInput('hosts', 'Allowed hosts', {
        placeholder: 'app.example.com, api.example.com',
        optional: true,
        maxLength: 2000,
        hint: 'Comma separated. Leave it empty to allow every host.',
      }),
    );
  }
  if (needsApproval(undefined))
    blocks.push(context(':raising_hand: Creating a token here needs a second person to approve it.'));
  return blocks;
}

/**
 * The create form. Without a chosen target it shows the provider select alone; with one, that provider's
 * fields. Only `targets` (what the person may create on) are offered.
 */
export function createModalView(args: {
  targets: CreateTarget[];
  privateMetadata: string;
  chosen?: string | undefined;
  /** True when policy sends a create (at this tier) to the approvers. */
  needsApproval?: (provider: ProviderType, tier?: string) => boolean;
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
  const chosen = usable.find((t) => t.value === args.chosen)?.value;
  const options = usable.map((t) => option(t.value, t.label));
  const blocks: Block[] = [
    selectInput('target', 'Provider and connection', options, {
      initial: chosen,
      dispatch: true,
      actionId: CREATE_TARGET_ACTION,
      hint: chosen ? undefined : 'The form then shows the fields this provider takes.',
    }),
  ];
  if (chosen) {
    const provider = chosen.split(':')[0] as ProviderType;
    blocks.push(textInput('name', 'Name', { placeholder: 'e.g. ci deploy bot', maxLength: 100 }));
    blocks.push(...providerFields(provider, (tier) => args.needsApproval?.(provider, tier) ?? false));
    blocks.push(
      textInput('reason', 'Reason', {
        optional: true,
        maxLength: 500,
        multiline: true,
        hint: 'Shown in the audit log.',
      }),
    );
  }
  return { ...base, submit: plainText('Create', MODAL_TITLE), blocks };
}

/** Label of a connection for the target select. */
export function targetLabel(provider: ProviderType, connection: string): string {
  return `${providerLabel(provider)} · ${connection}`;
}
