import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogCapture } from '../../emulators/local-stack.js';
import { type Sandbox, startSandbox } from '../../sandbox/stack.js';

/**
 * The sandbox console in a real browser: the whole payout day, clicked through as each person would.
 * Needs a Chromium binary (Debian's `chromium` package, or CHROMIUM_PATH); screenshots of each step go to
 * test-results/sandbox/, and UPDATE_SCREENSHOT=1 also rewrites docs/sandbox.png for the README.
 */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const SHOTS = 'test-results/sandbox';
const WAIT_MS = 10_000;

let sandbox: Sandbox | undefined;
let browser: Browser | undefined;
const logs = new LogCapture();

beforeAll(async () => {
  if (!HAS_CHROMIUM) return;
  mkdirSync(SHOTS, { recursive: true });
  [sandbox, browser] = await Promise.all([
    startSandbox({ port: 0, logLevel: 'info', logDestination: logs }),
    chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    }),
  ]);
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

describe('the sandbox console', () => {
  it('plays a payout day: invite, onboard, top up, transfer with two approvals, paid, balance moves', async (ctx) => {
    if (!HAS_CHROMIUM) ctx.skip(`no Chromium at ${CHROMIUM}: install Debian's chromium package or set CHROMIUM_PATH`);
    const { consoleUrl } = sandbox!;
    const page = await browser!.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(WAIT_MS);
    // A button's confirm dialog (as Slack's): go ahead.
    page.on('dialog', (dialog) => void dialog.accept());
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    let step = 0;
    const shot = (name: string, target: Page = page) =>
      target.screenshot({ path: `${SHOTS}/${String(++step).padStart(2, '0')}-${name}.png`, animations: 'disabled' });
    const actAs = (name: string) => page.selectOption('#person', { label: `@${name}` });
    const open = (conversation: string) => page.click(`.sidebar [data-conv="${conversation}"]`);
    const type = async (text: string) => {
      await page.fill('#composer-input', text);
      await page.press('#composer-input', 'Enter');
    };
    /** A message the bot posted (or updated) in the open conversation. */
    const message = (text: string | RegExp) => page.locator('#messages .msg[data-kind="message"]', { hasText: text });
    /** The latest reply only the current person sees. */
    const ephemeral = (text: string | RegExp) => page.locator('#messages .msg.ephemeral', { hasText: text }).last();
    const usdChip = page.locator('#balance [data-currency="usd"]');

    await page.goto(`${consoleUrl}#as=requester&in=ops`);
    await page.locator('#messages .intro').waitFor();
    expect(await usdChip.innerText()).toContain('$5,000.00');

    // 1. ops invites a seller with a slash command
    await type('/payout invite @seller1');
    await message('invited @seller1').waitFor();
    await ephemeral('Invited @seller1').waitFor();
    await shot('invite-in-ops');

    // 2. the seller opens the DM's link, completes the emulator's hosted onboarding and lands on the bot's return page
    await open('DUSELLER1');
    expect(await page.inputValue('#person')).toBe('USELLER1');
    const startLink = message('Set up your payouts').getByRole('link', { name: 'Start onboarding' });
    await shot('seller-dm');
    const [hosted] = await Promise.all([page.context().waitForEvent('page'), startLink.click()]);
    await hosted.getByRole('button', { name: 'Complete onboarding' }).waitFor();
    await shot('hosted-onboarding', hosted);
    await hosted.getByRole('button', { name: 'Complete onboarding' }).click();
    await hosted.getByText("You're all set").waitFor();
    expect(hosted.url()).toContain('/connect/return');
    await shot('onboarding-returned', hosted);
    await hosted.close();
    await message("You're all set").waitFor();

    // 3. ops sees the seller is payable
    await actAs('requester');
    await open('COPS');
    await message('@seller1 can be paid now').waitFor();
    await type('/payout sellers');
    await ephemeral('Payable').waitFor();
    await shot('payable-in-ops');

    // 4. a top-up, approved by one approver (below the 1,000 threshold)
    await type('/payout topup 500 usd');
    await actAs('approver1');
    await open('CAPPROVALS');
    const topup = message('Top-up request');
    await topup.getByRole('button', { name: 'Approve' }).click();
    await topup.filter({ hasText: 'Top-up created' }).waitFor();
    await page.locator('#topups', { hasText: '$500.00 pending' }).waitFor();
    expect(await usdChip.innerText()).toContain('$500.00 pending');
    await shot('topup-approved');
    // the bank answers when you say so: settle it from the header
    await page.locator('#topups').getByRole('button', { name: 'Settle' }).click();
    await topup.filter({ hasText: 'Top-up settled' }).waitFor();
    await usdChip.filter({ hasText: '$5,500.00' }).waitFor();

    // 5. a transfer through the modal, with the seller picked from the bot's external_select options
    await actAs('requester');
    await open('COPS');
    await type('/payout transfer');
    const modal = page.getByRole('dialog', { name: 'Pay a seller' });
    await modal.waitFor();
    await modal.locator('[data-block-id="money_seller"] input').click();
    await modal.getByRole('option', { name: /seller1/ }).click();
    await modal.locator('[data-block-id="money_amount"] input').fill('1500');
    await modal.locator('[data-block-id="money_currency"] select').selectOption('usd');
    await modal.locator('[data-block-id="money_description"] input').fill('Payout day rehearsal');
    await shot('transfer-modal');
    await modal.getByRole('button', { name: 'Ask for approval' }).click();
    await modal.waitFor({ state: 'detached' });
    await ephemeral('Asked for approval').waitFor();

    // 6. above the threshold: two different approvers
    await actAs('approver1');
    await open('CAPPROVALS');
    const transfer = message('Transfer request');
    await transfer.filter({ hasText: 'needs 2 different approvers' }).waitFor();
    await transfer.evaluate((el) => (el.dataset.probe = 'rendered once'));
    await transfer.getByRole('button', { name: 'Approve' }).click();
    await transfer.filter({ hasText: '1 of 2 approvals' }).waitFor();
    await shot('transfer-one-of-two');
    await actAs('approver2');
    await transfer.getByRole('button', { name: 'Approve' }).click();
    await transfer.filter({ hasText: /Paid/ }).waitFor();
    expect(await transfer.innerText()).toContain('approved by @approver1 and @approver2');
    expect(await transfer.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    // chat.update re-rendered the same message in place: same element, no second copy
    expect(await transfer.getAttribute('data-probe')).toBe('rendered once');
    expect(await transfer.count()).toBe(1);

    // 7. the header shows the balance after the payment: 5,000 + 500 top-up - 1,500 transfer
    await usdChip.filter({ hasText: '$4,000.00' }).waitFor();
    await shot('paid');
    await page.mouse.move(0, 0);
    if (process.env.UPDATE_SCREENSHOT === '1') {
      mkdirSync('docs', { recursive: true });
      await page.screenshot({ path: 'docs/sandbox.png', animations: 'disabled' });
    }

    // 8. a reversal at Stripe, rehearsed from the header: the approval message shows how much came back
    await page.locator('#transfers', { hasText: '$1,500.00' }).getByRole('button', { name: 'Reverse half' }).click();
    await transfer.filter({ hasText: 'partly reversed' }).waitFor();
    expect(await transfer.innerText()).toContain('$750.00 of $1,500.00 back');

    // the header's link leads to the emulator's request log, which saw the transfer
    const logUrl = await page.getAttribute('#stripe-log', 'href');
    const requests = (await (await fetch(logUrl!)).json()) as { method: string; path: string }[];
    expect(requests.filter((r) => r.method === 'POST' && r.path === '/v1/transfers')).toHaveLength(1);
    expect(sandbox!.stripe.control.transfers()).toMatchObject([{ amount: 150_000, currency: 'usd' }]);

    // 9. the scenario buttons: what happens at Stripe without the bot, and what ops hears of it
    await open('COPS');
    const scenario = (name: string) => page.locator('#scenarios').getByRole('button', { name }).click();
    await scenario('Seller changes bank');
    await message('bank account changed').waitFor();
    await scenario('Bank rejects a payout');
    await message('bank rejected a payout').filter({ hasText: 'the bank account has been closed' }).waitFor();
    await scenario('Transfer outside the bot');
    await actAs('approver1');
    await type('/payout reconcile');
    await ephemeral('payments compared').filter({ hasText: 'Made outside the bot' }).waitFor();
    await shot('reconcile');

    // 10. an approver opens their Home tab and approves from it; the message in #approvals follows
    await actAs('requester');
    await type('/payout topup 20 usd');
    await ephemeral('Asked for approval').waitFor();
    await open('home:UAPPROVER2');
    expect(await page.inputValue('#person')).toBe('UAPPROVER2');
    const home = page.locator('#messages .home-view');
    const waiting = home.locator('.bk-block', { hasText: '$20.00' });
    await home.getByRole('button', { name: 'Approve' }).waitFor();
    expect(await home.getByRole('button', { name: 'Approve' }).count()).toBe(1);
    await shot('home-waiting');
    await home.getByRole('button', { name: 'Approve' }).click();
    await home.filter({ hasText: 'Nothing waits for your decision' }).waitFor();
    await waiting.waitFor({ state: 'detached' });
    await open('CAPPROVALS');
    await message('Top-up request').filter({ hasText: '$20.00' }).filter({ hasText: 'Top-up created' }).waitFor();
    expect(pageErrors).toEqual([]);
    expect(logs.lines.filter((l) => typeof l.level === 'number' && l.level >= 50)).toEqual([]);
    await page.close();
  }, 60_000);

  it("shows the bot's validation errors in a modal, in place, and asks a reason for a rejection", async (ctx) => {
    if (!HAS_CHROMIUM) ctx.skip(`no Chromium at ${CHROMIUM}: install Debian's chromium package or set CHROMIUM_PATH`);
    const page = await browser!.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(WAIT_MS);
    // A button's confirm dialog (as Slack's): go ahead.
    page.on('dialog', (dialog) => void dialog.accept());
    const type = async (text: string) => {
      await page.fill('#composer-input', text);
      await page.press('#composer-input', 'Enter');
    };
    await page.goto(`${sandbox!.consoleUrl}#as=requester&in=general`);

    // the invite modal: a users_select, an email input and a country input; the bot answers response_action: errors
    await type('/payout invite');
    const invite = page.getByRole('dialog', { name: 'Invite a seller' });
    await invite.locator('[data-block-id="invite_user"] select').selectOption({ label: '@seller2' });
    await invite.locator('[data-block-id="invite_email"] input').fill('not-an-email');
    await invite.locator('[data-block-id="invite_country"] input').fill('ZZ');
    await invite.getByRole('button', { name: 'Invite' }).click();
    await invite.locator('[data-block-id="invite_email"] [role=alert]').waitFor();
    expect(await invite.locator('[role=alert]').allInnerTexts()).toEqual([
      'That does not look like an email address.',
      'Use a two-letter ISO country code such as US, FR or DE.',
    ]);
    expect(await invite.locator('[data-block-id="invite_user"] select').inputValue()).toBe('USELLER2'); // kept while re-rendering
    await invite.locator('[data-block-id="invite_email"] input').fill('ana@example.com');
    await invite.locator('[data-block-id="invite_country"] input').fill('FR');
    await invite.getByRole('button', { name: 'Invite' }).click();
    await invite.waitFor({ state: 'detached' });
    await page.locator('#messages .msg.ephemeral', { hasText: 'Invited @seller2' }).waitFor();
    expect(sandbox!.stripe.control.accounts().find((a) => a.metadata.slack_user_id === 'USELLER2')).toMatchObject({
      email: 'ana@example.com',
      country: 'FR',
    });

    // Reject opens a modal asking why; an empty reason is refused in place; the message then shows the reason
    await type('/payout topup 50 usd');
    await page.selectOption('#person', { label: '@approver1' });
    await page.click('.sidebar [data-conv="CAPPROVALS"]');
    const request = page.locator('#messages .msg[data-kind="message"]', { hasText: '$50.00' });
    await request.getByRole('button', { name: 'Reject' }).click();
    const reject = page.getByRole('dialog', { name: 'Reject request' });
    await reject.getByRole('button', { name: 'Reject' }).click();
    await reject.locator('[role=alert]').waitFor();
    await reject.locator('textarea').fill('Not this week <!channel> & no');
    await reject.getByRole('button', { name: 'Reject' }).click();
    await reject.waitFor({ state: 'detached' });
    await request.filter({ hasText: 'Rejected by @approver1: Not this week <!channel> & no' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/10-rejected.png`, animations: 'disabled' });
    await page.close();
  }, 30_000);

  // After the payout day above: seller1 is payable.
  it('attaches a CSV in a file_input: the bot downloads it with its token and asks for approval of the batch', async (ctx) => {
    if (!HAS_CHROMIUM) ctx.skip(`no Chromium at ${CHROMIUM}: install Debian's chromium package or set CHROMIUM_PATH`);
    const page = await browser!.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(WAIT_MS);
    // A button's confirm dialog (as Slack's): go ahead.
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${sandbox!.consoleUrl}#as=requester&in=general`);
    await page.fill('#composer-input', '/payout run csv');
    await page.press('#composer-input', 'Enter');
    const batch = page.getByRole('dialog', { name: 'Pay a CSV batch' });
    await batch.locator('[data-block-id="csv_file"] input[type=file]').setInputFiles({
      name: 'march.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('USELLER1,12.50,usd,March\nUSELLER1,7.50,usd,"April, early"\n'),
    });
    await batch.getByRole('button', { name: 'Check and ask' }).click();
    await batch.waitFor({ state: 'detached' });
    await page.locator('#messages .msg.ephemeral', { hasText: 'Asked for approval' }).last().waitFor();
    await page.click('.sidebar [data-conv="CAPPROVALS"]');
    await page
      .locator('#messages .msg[data-kind="message"]', { hasText: 'Payout run request' })
      .filter({ hasText: '$20.00' })
      .waitFor();
    await page.close();
  }, 30_000);

  it("freezes everything from an approver's Home tab: the confirm dialog, the reason, and the tab shows the freeze", async (ctx) => {
    if (!HAS_CHROMIUM) ctx.skip(`no Chromium at ${CHROMIUM}: install Debian's chromium package or set CHROMIUM_PATH`);
    const page = await browser!.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(WAIT_MS);
    const asked: string[] = [];
    page.on('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.accept();
    });
    await page.goto(`${sandbox!.consoleUrl}#as=approver1&in=general`);
    await page.click('.sidebar [data-conv="home:UAPPROVER1"]');
    const home = page.locator('#messages .home-view');
    await home.getByRole('button', { name: 'Freeze all payouts' }).click();
    const modal = page.getByRole('dialog', { name: 'Freeze all payouts' });
    await modal.locator('textarea, input[type=text]').first().fill('rehearsing the kill switch');
    await modal.getByRole('button', { name: 'Freeze now' }).click();
    await modal.waitFor({ state: 'detached' });
    await home.filter({ hasText: 'Frozen: all payouts' }).waitFor();
    expect(asked).toEqual([expect.stringContaining('Freeze all payouts?')]);
    expect(await sandbox!.bot.deps.freezes.list()).toMatchObject([
      { scope: { kind: 'all' }, by: 'UAPPROVER1', reason: 'rehearsing the kill switch' },
    ]);
    await sandbox!.bot.deps.freezes.lift({ kind: 'all' }, ['UAPPROVER1', 'UAPPROVER2']);
    await page.close();
  }, 30_000);
});
