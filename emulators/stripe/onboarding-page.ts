import type { FormObject } from './form.js';
import type { Ledger } from './state.js';

export interface PageResponse {
  status: number;
  html?: string;
  location?: string;
}

export type HostedPage = { kind: 'onboarding'; account: string; link: string } | { kind: 'dashboard'; account: string };

/** `/setup/e/:account/:link` (account link) and `/express/:account/:token` (login link). */
export function matchHostedPage(path: string): HostedPage | undefined {
  const segments = path.split('/').slice(1);
  const [first, second, third, fourth] = segments;
  if (segments.length === 4 && first === 'setup' && second === 'e' && third && fourth) {
    return { kind: 'onboarding', account: third, link: fourth };
  }
  if (segments.length === 3 && first === 'express' && second && third) return { kind: 'dashboard', account: second };
  return undefined;
}

const STYLE = `body{font-family:system-ui,sans-serif;background:#f6f9fc;color:#1a1f36;display:flex;justify-content:center;padding:48px}
main{background:#fff;border-radius:8px;box-shadow:0 2px 8px rgba(0,0,0,.08);padding:32px;max-width:440px}
h1{font-size:22px;margin:0 0 8px}p{color:#4f566b;line-height:1.5}code{background:#f1f3f7;padding:1px 4px;border-radius:4px}
button{display:block;width:100%;margin-top:12px;padding:12px;border:0;border-radius:6px;font-size:15px;cursor:pointer}
.primary{background:#635bff;color:#fff}.secondary{background:#e3e8ee;color:#1a1f36}`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function formatMoney(minor: number, currency: string): string {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency });
  return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

function notFoundPage(): PageResponse {
  return {
    status: 404,
    html: page('Link not found', '<h1>Link not found</h1><p>This onboarding link does not exist.</p>'),
  };
}

/**
 * Stripe's hosted onboarding, reduced to its two outcomes. Like Stripe, a link that expired or
 * was already used sends the browser to the link's `refresh_url`, where the platform makes a new one.
 */
export function serveOnboarding(
  ledger: Ledger,
  method: string,
  accountId: string,
  linkId: string,
  form: FormObject,
): PageResponse {
  const link = ledger.links.get(linkId);
  if (!link || link.account !== accountId) return notFoundPage();
  if (!ledger.linkIsUsable(link)) return { status: 302, location: link.refreshUrl };
  if (method === 'POST') {
    const action = form.action;
    if (action !== 'complete' && action !== 'leave_due') {
      return {
        status: 400,
        html: page('Unknown action', '<h1>Unknown action</h1><p>Choose one of the two buttons.</p>'),
      };
    }
    link.used = true;
    ledger.completeOnboarding(accountId, action === 'complete');
    return { status: 302, location: link.returnUrl };
  }
  if (method !== 'GET') return { status: 405, html: page('Method not allowed', '<h1>Method not allowed</h1>') };
  const account = ledger.accounts.get(accountId);
  const who = account?.email ? ` (${escapeHtml(account.email)})` : '';
  return {
    status: 200,
    html: page(
      'Stripe onboarding (emulator)',
      `<h1>${link.type === 'account_update' ? 'Update your details' : 'Set up payouts'}</h1>
<p>Emulated Stripe onboarding for <code>${escapeHtml(accountId)}</code>${who}.</p>
<form method="post">
<button class="primary" type="submit" name="action" value="complete">Complete onboarding</button>
<button class="secondary" type="submit" name="action" value="leave_due">Leave requirements due</button>
</form>`,
    ),
  };
}

/** Where a login link leads: a stand-in for the Express dashboard. */
export function serveDashboard(ledger: Ledger, accountId: string): PageResponse {
  const account = ledger.accounts.get(accountId);
  if (!account) return notFoundPage();
  const available = ledger
    .balance(accountId)
    .available.map(({ amount, currency }) => `<li>${escapeHtml(formatMoney(amount, currency))}</li>`)
    .join('');
  return {
    status: 200,
    html: page(
      'Express dashboard (emulator)',
      `<h1>Express dashboard</h1><p>Account <code>${escapeHtml(accountId)}</code></p><p>Available balance:</p><ul>${available}</ul>`,
    ),
  };
}
