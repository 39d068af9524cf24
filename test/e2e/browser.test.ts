import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/local/demo.js';
import { ALICE, GUEST, OLIVIA, SAM, useStack } from './harness.js';

// The console in a real browser: what a person sees, read from the rendered page, never from the stand-in's state.

const SKIP_TITLE = 'browser tests skipped: apt-get install -y chromium to enable them';
const ARTIFACTS = 'test-artifacts/browser';
// Generous: the first page load compiles the renderer with esbuild, and a cold CI box is slow.
const UI_WAIT = 15_000;
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium, or a `chromium` on PATH; never a browser Playwright would download. */
function findChromium(): string | undefined {
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  const dirs = (process.env['PATH'] ?? '').split(delimiter).filter(Boolean);
  return dirs.map((d) => join(d, 'chromium')).find((p) => existsSync(p));
}

const executablePath = findChromium();
const requireBrowser = process.env['TOKENOPS_REQUIRE_BROWSER'] === '1';

if (!executablePath && !requireBrowser) {
  console.warn(`[tokenops] ${SKIP_TITLE}`);
  describe.skip(SKIP_TITLE, () => {
    it('drives the local console in Chromium', () => undefined);
  });
} else if (!executablePath) {
  describe('the console in a browser', () => {
    it('needs Chromium because TOKENOPS_REQUIRE_BROWSER=1', () => {
      throw new Error('TOKENOPS_REQUIRE_BROWSER=1 but Chromium is missing: apt-get install -y chromium');
    });
  });
} else {
  browserSuite(executablePath);
}

const testid = (id: string): string => `[data-testid="${id}"]`;
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The rendered text of the open channel's messages. */
function paneText(page: Page): Promise<string> {
  return page.locator(testid('messages')).innerText();
}

/** Waits until the open channel's messages show text matching `re`. */
async function see(page: Page, re: RegExp): Promise<void> {
  await expect.poll(() => paneText(page), { timeout: UI_WAIT, interval: 100 }).toMatch(re);
}

/** Opens a channel from the sidebar by id or by kind (`dm`, `audit`), and waits until the sidebar marks it open. */
async function openChannel(page: Page, which: { id: string } | { kind: 'dm' | 'audit' }): Promise<void> {
  const sel = 'id' in which ? `[data-channel="${which.id}"]` : `[data-kind="${which.kind}"]`;
  const link = page.locator(`${testid('channel-link')}${sel}`);
  await link.click();
  // The sidebar is re-rendered from the same snapshot as the messages, so "active" means the pane shows it.
  await expect.poll(() => link.getAttribute('class'), { timeout: UI_WAIT }).toContain('active');
}

/** Switches the acting user with the sidebar's select, and waits until the page has re-rendered for them. */
async function actAs(page: Page, user: string): Promise<void> {
  const label = DEMO_USERS.find((u) => u.id === user)?.label;
  await page.locator(testid('acting-user')).selectOption(user);
  // The label is rendered from the server's snapshot for this user, in the same pass as the messages.
  await expect.poll(() => page.locator(testid('acting-user-label')).innerText(), { timeout: UI_WAIT }).toBe(label);
}

/** Types a line in the composer as a person would and presses Enter. */
async function send(page: Page, line: string): Promise<void> {
  const input = page.locator(testid('composer-input'));
  await input.fill('');
  await input.pressSequentially(line);
  await input.press('Enter');
  await expect.poll(() => input.inputValue()).toBe('');
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The REF shown in code in the newest visible message matching `re`. */
async function refIn(page: Page, re: RegExp, provider: string): Promise<string> {
  const message = page.locator(testid('message')).filter({ hasText: re }).last();
  const codes = await message.locator('code').allInnerTexts();
  const ref = codes.find((c) => new RegExp(`^${provider}(:[a-z0-9_-]+)?/[A-Za-z0-9._~-]+$`).test(c.trim()));
  expect(ref, `a ${provider} REF in ${codes.join(', ')}`).toBeDefined();
  return (ref as string).trim();
}

function browserSuite(executablePath: string): void {
  describe('the local console in Chromium', () => {
    const stack = useStack();
    let context: BrowserContext;
    let page: Page;
    let profile: string;
    const pageErrors: string[] = [];
    // Shared between scenarios, which run in order like one person's session.
    const created = { ref: '', secret: '' };

    beforeAll(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      profile = mkdtempSync(join(tmpdir(), 'tokenops-chromium-'));
      context = await chromium.launchPersistentContext(profile, {
        executablePath,
        args: ARGS,
        viewport: { width: 1200, height: 800 },
      });
      page = context.pages()[0] ?? (await context.newPage());
      page.on('pageerror', (e) => pageErrors.push(String(e)));
      page.on('dialog', (d) => {
        pageErrors.push(`unexpected native dialog: ${d.message()}`);
        void d.dismiss();
      });
      await page.goto(`${stack().standin.url}/`);
      await page.locator(`${testid('channel-link')}[data-channel="C0GENERAL"]`).waitFor({ timeout: UI_WAIT });
    });

    afterAll(async () => {
      await context?.close();
      if (profile) rmSync(profile, { recursive: true, force: true });
      expect(pageErrors).toEqual([]);
    });

    it('lists Triton tokens with names and REFs when alice types /token list triton', async () => {
      await actAs(page, ALICE);
      await openChannel(page, { id: 'C0GENERAL' });
      await send(page, '/token list triton');
      await see(page, /triton:prod\/\S+/);
      const text = await paneText(page);
      expect(text).toMatch(/\b(prod|staging|dev)-[a-z]+/); // demo token names
      expect(text.match(/triton:prod\/\S+/g)?.length ?? 0).toBeGreaterThan(1);
      await shot(page, '1-list-triton');
    });

    it('delivers a new secret only to alice in her DM, never in a channel, and not to sam', async () => {
      await send(page, '/token create mailtrap browser-demo');
      await see(page, /browser-demo[\s\S]*sent to your DM/);
      created.ref = await refIn(page, /sent to your DM/, 'mailtrap');

      await openChannel(page, { kind: 'dm' });
      const delivery = page
        .locator(testid('message'))
        .filter({ hasText: 'browser-demo' })
        .filter({ has: page.locator('pre') });
      await delivery.last().waitFor({ timeout: UI_WAIT });
      await expect.poll(() => delivery.last().locator(testid('only-you')).innerText()).toBe('Only visible to you');
      created.secret = (await delivery.last().locator('pre').first().innerText()).trim();
      expect(created.secret.length).toBeGreaterThan(8);
      await shot(page, '2a-secret-dm');

      // The whole document, not just the visible text: nothing hidden may hold the secret either.
      await openChannel(page, { id: 'C0GENERAL' });
      await see(page, /sent to your DM/);
      expect(await paneText(page)).not.toContain(created.secret);
      expect(await page.content()).not.toContain(created.secret);
      await openChannel(page, { kind: 'audit' });
      await see(page, new RegExp(`create\\s+${escapeRe(created.ref)}[\\s\\S]*browser-demo`));
      expect(await paneText(page)).not.toContain(created.secret);
      expect(await page.content()).not.toContain(created.secret);
      await shot(page, '2b-audit-after-create');

      await actAs(page, SAM);
      for (const channel of [{ kind: 'dm' as const }, { id: 'C0GENERAL' }]) {
        await openChannel(page, channel);
        expect(await page.content()).not.toContain(created.secret);
        expect(await page.locator(testid('message')).filter({ hasText: 'browser-demo' }).count()).toBe(0);
      }
      await shot(page, '2c-sam-general');
    });

    it('revokes alice’s token as sam after the confirm dialog, and the audit channel shows the reason', async () => {
      expect(created.ref, 'the token created in the previous scenario').not.toBe('');
      await openChannel(page, { id: 'C0GENERAL' });
      await send(page, `/token revoke ${created.ref} --reason leaked`);
      const button = page.locator('button[data-action-id="revoke_confirm"]').last();
      await button.waitFor({ timeout: UI_WAIT });
      await button.click();
      const dialog = page.locator(`${testid('confirm-dialog')}[open]`);
      await dialog.waitFor({ timeout: UI_WAIT });
      await shot(page, '3a-revoke-confirm');
      await page.locator(testid('confirm-ok')).click();
      await dialog.waitFor({ state: 'hidden' });
      await see(page, /Revoked\s+browser-demo/);
      await shot(page, '3b-revoked');

      await openChannel(page, { kind: 'audit' });
      await expect
        .poll(
          () =>
            page
              .locator(testid('message'))
              .filter({ hasText: created.ref })
              .filter({ hasText: /revoke/i })
              .allInnerTexts(),
          {
            timeout: UI_WAIT,
          },
        )
        .toEqual(expect.arrayContaining([expect.stringContaining('leaked')]));
      await shot(page, '3c-audit');
    });

    it('refuses gina the guest', async () => {
      await actAs(page, GUEST);
      await openChannel(page, { id: 'C0GENERAL' });
      await send(page, '/token list triton');
      await see(page, /guests cannot use tokenops/);
      await shot(page, '4-guest-refused');
    });

    it('creates a token from the modal and delivers the secret to the DM', async () => {
      await actAs(page, ALICE);
      await openChannel(page, { id: 'C0GENERAL' });
      await send(page, '/token create');
      const modal = page.locator(testid('modal'));
      await modal.waitFor({ timeout: UI_WAIT });
      await modal.locator('[data-block-id="target"] select').selectOption('mailtrap:default');
      await modal.locator('[data-block-id="name"] input').fill('modal-demo');
      await shot(page, '5a-modal');
      await modal.locator('button[type="submit"]').click();
      await modal.waitFor({ state: 'detached', timeout: UI_WAIT });
      await openChannel(page, { kind: 'dm' });
      const delivery = page
        .locator(testid('message'))
        .filter({ hasText: 'modal-demo' })
        .filter({ has: page.locator('pre') });
      await delivery.last().waitFor({ timeout: UI_WAIT });
      expect(await delivery.last().locator(testid('only-you')).count()).toBe(1);
      await shot(page, '5b-modal-secret');
    });

    it('pages /token list in place with Next and Previous, grouped by connection, one answer per command', async () => {
      await actAs(page, SAM);
      await openChannel(page, { id: 'C0GENERAL' });
      await send(page, '/token list');
      await see(page, /Page 1 of \d+/);
      const lists = page.locator(testid('message')).filter({ hasText: 'Tokens on all providers' });
      await expect.poll(() => lists.count(), { timeout: UI_WAIT }).toBe(1);
      expect(await lists.last().innerText()).toMatch(/Triton One · prod\*?: \d+/);
      // The worker's answer replaced the ack: no "Working on it…" is left behind.
      expect(await paneText(page)).not.toContain('Working on it');
      await shot(page, '6a-list-page-1');
      await lists.last().locator('button[data-action-id="list_page_next"]').click();
      await see(page, /Page 2 of \d+/);
      expect(await lists.count()).toBe(1);
      expect(await paneText(page)).not.toMatch(/Page 1 of/);
      await shot(page, '6b-list-page-2');
      await lists.last().locator('button[data-action-id="list_page_prev"]').click();
      await see(page, /Page 1 of \d+/);
      expect(await lists.count()).toBe(1);
    });

    it('shows only the chosen provider’s fields in the create form and says what is wrong before it closes', async () => {
      await actAs(page, ALICE);
      await openChannel(page, { id: 'C0GENERAL' });
      await send(page, '/token create');
      const modal = page.locator(testid('modal'));
      await modal.waitFor({ timeout: UI_WAIT });
      const target = modal.locator('[data-block-id="target"] select');
      const offered = await target.locator('option').allInnerTexts();
      expect(offered.join('|')).not.toMatch(/Cobalt|Vaultoro/);
      await target.selectOption('triton:prod');
      await modal.locator('[data-block-id="tier"] select').waitFor({ timeout: UI_WAIT });
      const tiers = await modal.locator('[data-block-id="tier"] option').allInnerTexts();
      expect(tiers).toEqual(expect.arrayContaining(['free', 'tier1', 'tier3 (needs approval)']));
      expect(await modal.locator('[data-block-id="expires"]').count()).toBe(0);
      await shot(page, '7a-form-triton');
      await modal.locator('[data-block-id="target"] select').selectOption('mailtrap:default');
      const date = modal.locator('[data-block-id="expires"] input[type="date"]');
      await date.waitFor({ timeout: UI_WAIT });
      expect(await modal.locator('[data-block-id="tier"]').count()).toBe(0);
      await modal.locator('[data-block-id="name"] input').fill('form-demo');
      await date.fill('2020-01-01');
      await modal.locator('button[type="submit"]').click();
      await expect
        .poll(() => modal.locator('[data-block-id="expires"] [role="alert"]').innerText(), { timeout: UI_WAIT })
        .toBe('Pick a date after today.');
      await shot(page, '7b-form-error');
      await date.fill(new Date(Date.now() + 10 * 86400_000).toISOString().slice(0, 10));
      await modal.locator('button[type="submit"]').click();
      await modal.waitFor({ state: 'detached', timeout: UI_WAIT });
    });

    it('denies a request with a reason: the card says who and why, and the requester hears it in the DM', async () => {
      await actAs(page, OLIVIA);
      await openChannel(page, { id: 'C0GENERAL' });
      await send(page, '/token create triton:prod browser-big --tier tier3 --reason "load test"');
      await see(page, /needs approval[\s\S]*DM with the bot/);
      await actAs(page, SAM);
      await openChannel(page, { id: 'C0APPROVALS' });
      const card = page.locator(testid('message')).filter({ hasText: 'browser-big' }).last();
      await card.locator('button[data-action-id="approval_deny"]').click();
      const modal = page.locator(testid('modal'));
      await modal.waitFor({ timeout: UI_WAIT });
      await modal.locator('[data-block-id="reason"] textarea').fill('use tier1 for load tests');
      await shot(page, '8a-deny-reason');
      await modal.locator('button[type="submit"]').click();
      await modal.waitFor({ state: 'detached', timeout: UI_WAIT });
      await expect
        .poll(() => card.innerText(), { timeout: UI_WAIT })
        .toMatch(/Denied by @sam: use tier1 for load tests/);
      const decided = await card.innerText();
      for (const kept of ['tier3', 'load test', 'browser-big', 'triton:prod']) expect(decided).toContain(kept);
      expect(await card.locator('button').count()).toBe(0);
      await shot(page, '8b-card-denied');
      await actAs(page, OLIVIA);
      await openChannel(page, { kind: 'dm' });
      await see(page, /@sam denied your request[\s\S]*use tier1 for load tests/);
      await shot(page, '8c-requester-told');
    });

    it('shows alice her tokens on the Home tab, with Rotate on what expires soon, and no audit', async () => {
      await actAs(page, ALICE);
      await openChannel(page, { id: 'C0GENERAL' });
      await send(page, '/token create mailtrap home-soon --expires 5d');
      await see(page, /home-soon[\s\S]*sent to your DM/);
      await page.locator(`${testid('channel-link')}[data-kind="home"]`).click();
      const home = page.locator(testid('home'));
      await expect.poll(() => home.innerText(), { timeout: UI_WAIT }).toMatch(/Your tokens[\s\S]*form-demo/);
      const text = await home.innerText();
      expect(text).toMatch(/Expiring within 14 days[\s\S]*home-soon/);
      expect(text).not.toMatch(/Recent changes/);
      await shot(page, '9a-home-alice');
      await home.locator('button[data-action-id="rotate_request"]').first().click();
      await page.locator(`${testid('confirm-dialog')}[open]`).waitFor({ timeout: UI_WAIT });
      await page.locator(testid('confirm-ok')).click();
      await openChannel(page, { kind: 'dm' });
      await see(page, /Rotated[\s\S]*home-soon|home-soon[\s\S]*replaces the rotated token/);
      await actAs(page, SAM);
      await page.locator(`${testid('channel-link')}[data-kind="home"]`).click();
      await expect.poll(() => home.innerText(), { timeout: UI_WAIT }).toMatch(/Recent changes/);
      await shot(page, '9b-home-security');
    });
  });
}
