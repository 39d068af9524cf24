import type { CommandName } from './command.js';

/** The one right form of every command, as shown in errors and help. */
export const USAGE: Record<CommandName, string> = {
  help: '/token help [command]',
  providers: '/token providers',
  list: '/token list [provider[:connection]] [--name TEXT] [--mine]',
  show: '/token show REF',
  create:
    '/token create PROVIDER[:CONN] NAME [--tier T] [--expires 30d|2027-01-31] [--scope S] [--hosts a,b] [--reason TEXT]',
  revoke:
    '/token revoke REF [--reason TEXT]  ·  /token revoke --owner @user | --connection PROVIDER:CONN | --provider P | --name TEXT | --created-before DATE … [--reason TEXT]',
  rotate: '/token rotate REF [--reason TEXT]',
  activate: '/token activate REF [--reason TEXT]',
  deactivate: '/token deactivate REF [--reason TEXT]',
  find: '/token find TEXT',
  audit: '/token audit [provider] [--since 7d]',
  leaked: '/token leaked',
};

/** Every command name, in the order help lists them. */
export const COMMAND_NAMES = Object.keys(USAGE) as CommandName[];

/** One line per command: what it does, for the help overview. */
const SUMMARIES: Record<CommandName, string> = {
  help: 'this overview, or one command in detail',
  providers: 'the providers and connections, and what each can do',
  list: 'tokens, grouped by connection and paged',
  show: 'one token in full (never its secret)',
  create: 'a new token; the secret comes to your DM (no arguments: a form)',
  revoke: 'make a secret stop working now',
  rotate: 'a new secret to your DM, then the old one retired',
  activate: 'turn a deactivated token back on',
  deactivate: 'turn a token off without deleting it',
  find: 'find tokens by last characters, fingerprint or name',
  audit: 'recent changes: who did what, why, and how it ended',
  leaked: 'report a leaked secret in a private form; a match is revoked or sent to security',
};

/** One paragraph per command: what it does and what to know before using it. */
const DESCRIPTIONS: Record<CommandName, string> = {
  help: 'Shows every command, or the form and details of one command.',
  providers:
    'Lists the configured providers and their connections, and what each can do: natively, emulated by the bot, or not at all (and where to do it instead).',
  list: 'Lists tokens across every provider, or one provider or connection. `--name` keeps tokens whose name contains the text; `--mine` keeps tokens you created through the bot. Long lists are paged: narrow them with a provider or `--name`.',
  show: 'Shows one token: its status, last 4 characters, fingerprint, dates and provider details. Never the secret.',
  create:
    'Creates a token and sends the secret once, privately, to your DM with the bot. Put a name with spaces in quotes. `--expires` takes `30d`, `12h` or a date; `--scope` may repeat or take a comma list; `--hosts` takes a comma list. With no arguments, `/token create` opens a form.',
  revoke:
    'Makes the secret stop working now, after a confirmation. Where a provider cannot delete, the bot deactivates or refreshes the token instead and says so. In an incident, give a selection instead of a REF (`--owner @sam`, `--connection triton:staging`, `--provider mailtrap`, `--name ci`, `--created-before 2026-06-01`, combinable, at least one): you get a preview first (counts, names, how each is revoked, what is left alone, the estimated time), then confirm with a button — or, for more than 10 tokens, by typing their number. Progress is shown in one message with a Stop button.',
  rotate:
    'Creates a new secret, sends it to your DM with the bot, then retires the old one. If delivery fails, the old secret keeps working.',
  activate: 'Re-enables a deactivated token, where the provider supports it.',
  deactivate: 'Disables a token without deleting it, where the provider supports it. `activate` undoes it.',
  find: 'Finds tokens across every provider by their last characters, a fingerprint prefix or a name (3 characters at least). Each match has a Revoke button.',
  audit:
    'Shows recent changes: who did what to which token, why, and how it ended. `--since` takes days (default 7, at most 365).',
  leaked:
    'Opens a private form where you paste a secret you found somewhere it should not be. Never type the secret after the command: the value is checked against every token tokenops knows, and a match is revoked at once or sent to security, as the policy says. The result comes to your DM with the bot.',
};

/** Help as Slack mrkdwn: the overview, or the form and description of one command (our text only). */
export function helpText(topic?: CommandName): string {
  if (topic !== undefined) return `*Usage:* \`${USAGE[topic]}\`\n${DESCRIPTIONS[topic]}`;
  const lines = COMMAND_NAMES.filter((name) => name !== 'help').map(
    (name) => `• \`/token ${name}\` — ${SUMMARIES[name]}`,
  );
  return [
    '*tokenops* manages API tokens at every configured provider. A REF looks like `triton:prod/fa2fec9c…` (provider:connection/id).',
    ...lines,
    'Type `/token help COMMAND` for its full form and details. Secrets only ever arrive in your DM with the bot.',
  ].join('\n');
}
