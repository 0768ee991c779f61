// The sandbox's Slack console: polls /api/state, renders conversations and modals with blockkit.js, and turns
// typing, clicks and submissions into /api/send, /api/action, /api/submit and /api/suggest (signed by the server).
import { blockIdOf, emoji, escapeHtml, renderBlocks, renderMessageBody, textObject } from './blockkit.js';

const POLL_MS = 500;
const $ = (id) => document.getElementById(id);

const ui = {
  meta: null,
  user: '',
  conv: '',
  etag: '',
  data: null,
  /** conversation → number of (non-ephemeral) items already seen */
  seen: {},
  /** timeline key → rendered HTML, to update changed messages in place */
  rendered: new Map(),
  renderedConv: '',
  modalKey: '',
  modalErrors: {},
  history: [],
  historyAt: 0,
};

// ---- helpers ------------------------------------------------------------------------------------------------------

async function api(path, body) {
  const response = await fetch(
    path,
    body === undefined
      ? {}
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  const json = await response.json().catch(() => ({}));
  if (!response.ok && json.ok === undefined) json.ok = false;
  return json;
}

let toastTimer;
function toast(text, kind = 'info') {
  const el = $('toast');
  el.textContent = text;
  el.className = `toast ${kind}`;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.hidden = true), 5000);
}

const person = (id) => ui.meta.people.find((p) => p.id === id);
const channel = (id) => ui.meta.channels.find((c) => c.id === id);
const dmOwner = (conv) => ui.meta.dms.find((d) => d.id === conv)?.user;
/** The sidebar's "Home" items: `home:<user>` shows that person's App Home tab. */
const homeOf = (userId) => `home:${userId}`;
const homeOwner = (conv) => (conv.startsWith('home:') && person(conv.slice(5)) ? conv.slice(5) : undefined);
const ownerOf = (conv) => dmOwner(conv) ?? homeOwner(conv);

const renderCtx = () => ({
  userName: (id) => (id === ui.meta.bot.id ? ui.meta.bot.name : person(id)?.name),
  channelName: (id) => channel(id)?.name ?? (dmOwner(id) ? 'directmessage' : undefined),
  people: ui.meta.people,
  channels: ui.meta.channels,
});

function money(amount, currency) {
  try {
    const format = new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() });
    return format.format(amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
  } catch {
    return `${amount} ${currency}`;
  }
}

const timeOf = (ts) => new Date(Number(ts) * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

function describeBotError(result) {
  if (result.error) return result.error;
  const bot = result.bot ?? {};
  return `The bot answered HTTP ${bot.status ?? '?'}${bot.body ? `: ${String(bot.body).slice(0, 200)}` : ''}`;
}

// ---- polling ------------------------------------------------------------------------------------------------------

let pollTimer;
let polling = false;
let pollAgain = false;

async function poll() {
  clearTimeout(pollTimer);
  if (polling) {
    pollAgain = true;
    return;
  }
  polling = true;
  try {
    const result = await api(`/api/state?user=${encodeURIComponent(ui.user)}&since=${encodeURIComponent(ui.etag)}`);
    if (result.etag && !result.unchanged) {
      ui.etag = result.etag;
      ui.data = result;
      renderAll();
    }
  } catch {
    // the sandbox is restarting or stopped: keep trying
  } finally {
    polling = false;
    pollTimer = setTimeout(poll, pollAgain ? 0 : POLL_MS);
    pollAgain = false;
  }
}

// ---- rendering ----------------------------------------------------------------------------------------------------

function renderAll() {
  renderHeader();
  renderSidebar();
  renderTimeline();
  renderModal();
}

let lastBalances = {};
function renderHeader() {
  const { balance, pendingTopups, reversibleTransfers, stripeRequests } = ui.data;
  const pending = Object.fromEntries(balance.pending.map((b) => [b.currency, b.amount]));
  $('balance').innerHTML = balance.available
    .map((b) => {
      const changed =
        lastBalances[b.currency] !== undefined &&
        lastBalances[b.currency] !== `${b.amount}/${pending[b.currency] ?? 0}`;
      const pendingText = pending[b.currency]
        ? `<small>+ ${escapeHtml(money(pending[b.currency], b.currency))} pending</small>`
        : '';
      return `<span class="chip${changed ? ' changed' : ''}" data-currency="${escapeHtml(b.currency)}" title="Available on the platform (Stripe emulator)">${escapeHtml(money(b.amount, b.currency))}${pendingText}</span>`;
    })
    .join('');
  lastBalances = Object.fromEntries(
    balance.available.map((b) => [b.currency, `${b.amount}/${pending[b.currency] ?? 0}`]),
  );
  $('topups').innerHTML = pendingTopups
    .map(
      (
        t,
      ) => `<span class="topup" title="Real top-ups take days; here you decide when the bank answers. ${escapeHtml(t.id)}">Top-up ${escapeHtml(money(t.amount, t.currency))} pending
<button type="button" data-settle="succeeded" data-topup="${escapeHtml(t.id)}">Settle</button><button type="button" data-settle="failed" data-topup="${escapeHtml(t.id)}">Fail</button></span>`,
    )
    .join('');
  $('transfers').innerHTML = reversibleTransfers
    .map(
      (
        t,
      ) => `<span class="topup" title="A reversal pulls money back from the seller, as the platform (or Stripe) can. ${escapeHtml(t.id)}">Transfer ${escapeHtml(money(t.amount, t.currency))}
<button type="button" data-reverse="${escapeHtml(t.id)}" data-amount="${Math.floor(t.amount / 2)}">Reverse half</button><button type="button" data-reverse="${escapeHtml(t.id)}">Reverse</button></span>`,
    )
    .join('');
  $('stripe-log').textContent = `Stripe request log (${stripeRequests})`;
  renderForecast(ui.data.funding);
}

/** The sandbox's day and the forecast's next shortfall per currency (or that there is none). */
function renderForecast(funding) {
  if (!funding) return;
  const shortfalls = funding.shortfalls.map(
    (s) =>
      `<span class="chip short" title="Request a top-up by ${escapeHtml(s.lastTopupDay)} to cover it in time">${escapeHtml(s.currency.toUpperCase())} short ${escapeHtml(money(s.amount, s.currency))} on ${escapeHtml(s.day)}</span>`,
  );
  $('forecast').innerHTML =
    `<span class="stripe-label">Today ${escapeHtml(funding.today)}</span>${shortfalls.join('') || '<span class="chip">No shortfall in 14 days</span>'}`;
}

function countable(conv) {
  return (ui.data?.conversations[conv] ?? []).filter((item) => item.kind !== 'ephemeral').length;
}

function renderSidebar() {
  const link = (conv, label, extra = '') => {
    const unread = conv === ui.conv ? 0 : Math.max(0, countable(conv) - (ui.seen[conv] ?? 0));
    const classes = [conv === ui.conv ? 'active' : '', unread ? 'unread' : ''].filter(Boolean).join(' ');
    return `<li><a href="#" data-conv="${escapeHtml(conv)}" class="${classes}"${extra}><span>${label}</span>${unread ? `<span class="badge">${unread}</span>` : ''}</a></li>`;
  };
  $('channels').innerHTML = ui.meta.channels.map((c) => link(c.id, `# ${escapeHtml(c.name)}`)).join('');
  $('homes').innerHTML = ui.meta.people
    .map((p) => {
      const you = p.id === ui.user ? ' <span class="you">(you)</span>' : '';
      return link(
        homeOf(p.id),
        `${emoji(':house:')} ${escapeHtml(p.name)}${you}`,
        ` title="${escapeHtml(`payout-ops's Home tab as ${p.name} sees it: opening it acts as ${p.name}`)}"`,
      );
    })
    .join('');
  $('dms').innerHTML = ui.meta.dms
    .map((d) => {
      const p = person(d.user);
      const you = d.user === ui.user ? ' <span class="you">(you)</span>' : '';
      return link(
        d.id,
        `@${escapeHtml(p.name)}${you}`,
        ` title="${escapeHtml(`payout-ops ↔ ${p.name}: opening it acts as ${p.name}`)}"`,
      );
    })
    .join('');
}

function itemKey(item) {
  return `${item.kind}:${item.ts}:${item.id ?? ''}`;
}

function itemHtml(item) {
  const ctx = renderCtx();
  if (item.kind === 'file') {
    const size = item.size < 1024 ? `${item.size} B` : `${(item.size / 1024).toFixed(1)} KB`;
    return `<div class="avatar">P</div><div class="msg-main"><div class="msg-meta"><b>payout-ops</b><span class="app-tag">APP</span><time>${timeOf(item.ts)}</time></div>
${item.comment ? `<div class="bk-text">${textObject({ type: 'mrkdwn', text: item.comment }, ctx)}</div>` : ''}
<div class="file">${emoji(':page_facing_up:')} <a href="/api/files/${encodeURIComponent(item.id)}" download>${escapeHtml(item.title || item.name)}</a> <span class="edited">${size}</span></div></div>`;
  }
  const ephemeral = item.kind === 'ephemeral';
  return `<div class="avatar">P</div><div class="msg-main"><div class="msg-meta"><b>payout-ops</b><span class="app-tag">APP</span><time title="ts ${escapeHtml(item.ts)}">${timeOf(item.ts)}</time>${item.updated ? ' <span class="edited">(edited)</span>' : ''}</div>
${ephemeral ? `<div class="only-you">${emoji(':eye:')} Only visible to you</div>` : ''}${item.thread_ts ? '<div class="thread-note">↳ replied in a thread</div>' : ''}
<div class="msg-body">${renderMessageBody(item, ctx)}</div></div>`;
}

function introHtml() {
  const c = channel(ui.conv);
  if (c)
    return `<div class="intro">This is the very beginning of <b>#${escapeHtml(c.name)}</b>. ${escapeHtml(c.topic)}.</div>`;
  const p = person(dmOwner(ui.conv));
  return `<div class="intro">This is your direct message history with <b>payout-ops</b>, as <b>@${escapeHtml(p?.name ?? '')}</b>.</div>`;
}

/** The Home tab: the view the bot published for this person, or a note until it has. */
function renderHome() {
  const box = $('messages');
  const home = ui.data.home;
  const html = home
    ? `<div class="home-view">${renderBlocks(home.blocks, renderCtx())}</div>`
    : '<div class="intro">Opening the Home tab… (the bot publishes it on <code>app_home_opened</code>)</div>';
  if (ui.renderedConv !== ui.conv || ui.rendered.get('home') !== html) box.innerHTML = html;
  ui.rendered = new Map([['home', html]]);
  ui.renderedConv = ui.conv;
}

function renderTimeline() {
  if (homeOwner(ui.conv)) return renderHome();
  const box = $('messages');
  const items = ui.data.conversations[ui.conv] ?? [];
  const switched = ui.renderedConv !== ui.conv;
  const nearBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 120;
  if (switched) {
    box.innerHTML = introHtml();
    ui.rendered = new Map();
    ui.renderedConv = ui.conv;
  }
  const keys = items.map(itemKey);
  // drop what is gone (a deleted message, or another person's ephemerals)
  for (const el of [...box.querySelectorAll('.msg')]) {
    if (!keys.includes(el.dataset.key)) {
      ui.rendered.delete(el.dataset.key);
      el.remove();
    }
  }
  let previous = box.querySelector('.intro');
  for (const item of items) {
    const key = itemKey(item);
    const html = itemHtml(item);
    let el = box.querySelector(`.msg[data-key="${CSS.escape(key)}"]`);
    if (!el) {
      el = document.createElement('div');
      el.className = `msg${item.kind === 'ephemeral' ? ' ephemeral' : ''}`;
      el.dataset.key = key;
      el.dataset.ts = item.ts;
      el.dataset.kind = item.kind;
      el.innerHTML = html;
    } else if (ui.rendered.get(key) !== html) {
      el.innerHTML = html;
      el.classList.remove('flash');
      void el.offsetWidth;
      el.classList.add('flash');
    }
    ui.rendered.set(key, html);
    if (previous ? previous.nextElementSibling !== el : box.firstElementChild !== el) {
      if (previous) previous.after(el);
      else box.prepend(el);
    }
    previous = el;
  }
  ui.seen[ui.conv] = countable(ui.conv);
  if (switched || nearBottom) box.scrollTop = box.scrollHeight;
}

function renderConversationHeader() {
  const c = channel(ui.conv);
  const home = homeOwner(ui.conv);
  document.querySelector('.composer-wrap').hidden = Boolean(home);
  if (home) {
    $('conv-title').textContent = `payout-ops · Home (@${person(home)?.name ?? ''})`;
    $('conv-topic').textContent =
      'The App Home tab: what waits for you, the freeze state, balances, runs and schedules.';
    return;
  }
  if (c) {
    $('conv-title').textContent = `# ${c.name}`;
    $('conv-topic').textContent = c.topic;
  } else {
    const p = person(dmOwner(ui.conv));
    $('conv-title').textContent = `payout-ops ↔ @${p?.name ?? ''}`;
    $('conv-topic').textContent =
      'The bot DMs onboarding links and outcomes here; it reads no messages, but /payout works.';
  }
  $('composer-input').placeholder =
    `/payout … in ${c ? `#${c.name}` : 'this DM'} as @${person(ui.user)?.name ?? ''}   (try /payout help)`;
}

const SUGGESTIONS = {
  requester: [
    '/payout help',
    '/payout invite @seller1',
    '/payout sellers',
    '/payout topup 500 usd',
    '/payout transfer',
    '/payout balance',
    '/payout audit',
  ],
  approver: ['/payout help', '/payout pending', '/payout sellers', '/payout balance', '/payout audit 10'],
  seller: ['/payout help'],
};

function renderWho() {
  const p = person(ui.user);
  $('whoami').innerHTML = `You are <b>@${escapeHtml(p.name)}</b>: ${escapeHtml(p.role)}.`;
  const kind = /^approver/.test(p.name)
    ? 'approver'
    : /^seller/.test(p.name)
      ? 'seller'
      : p.name === 'requester' || p.name === 'lead'
        ? 'requester'
        : 'seller';
  $('suggestions').innerHTML = SUGGESTIONS[kind]
    .map((s) => `<button type="button" data-suggest="${escapeHtml(s)}">${escapeHtml(s)}</button>`)
    .join('');
}

// ---- modal --------------------------------------------------------------------------------------------------------

function findInputElement(view, blockId, actionId) {
  for (const [index, block] of (view.blocks ?? []).entries()) {
    if (block.type === 'input' && blockIdOf(block, index) === blockId && (block.element?.action_id ?? '') === actionId)
      return block.element;
  }
  return undefined;
}

const flatOptions = (element) => [
  ...(element?.options ?? []),
  ...(element?.option_groups ?? []).flatMap((g) => g.options ?? []),
];
const asOption = (o) => (o ? { text: o.text, value: o.value } : null);

function readFile(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve({ name: file.name, content: String(reader.result).replace(/^data:[^,]*,/, '') });
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** The modal's inputs as Slack's view.state.values. */
async function collectValues(root, view) {
  const values = {};
  for (const el of root.querySelectorAll('[data-input]')) {
    const type = el.dataset.input;
    const blockId = el.dataset.blockId;
    const actionId = el.dataset.actionId;
    const element = findInputElement(view, blockId, actionId);
    let state;
    switch (type) {
      case 'plain_text_input':
      case 'number_input':
      case 'email_text_input':
      case 'url_text_input':
        state = { type, value: el.value === '' ? null : el.value };
        break;
      case 'static_select':
        state = { type, selected_option: asOption(flatOptions(element).find((o) => o.value === el.value)) };
        break;
      case 'multi_static_select': {
        const chosen = [...el.selectedOptions].map((o) => o.value);
        state = {
          type,
          selected_options: flatOptions(element)
            .filter((o) => chosen.includes(o.value))
            .map(asOption),
        };
        break;
      }
      case 'external_select':
        state = { type, selected_option: el.dataset.selected ? JSON.parse(el.dataset.selected) : null };
        break;
      case 'users_select':
        state = { type, selected_user: el.value || null };
        break;
      case 'multi_users_select':
        state = { type, selected_users: [...el.selectedOptions].map((o) => o.value) };
        break;
      case 'conversations_select':
        state = { type, selected_conversation: el.value || null };
        break;
      case 'channels_select':
        state = { type, selected_channel: el.value || null };
        break;
      case 'datepicker':
        state = { type, selected_date: el.value || null };
        break;
      case 'timepicker':
        state = { type, selected_time: el.value || null };
        break;
      case 'checkboxes': {
        const chosen = [...el.querySelectorAll('input:checked')].map((i) => i.value);
        state = {
          type,
          selected_options: flatOptions(element)
            .filter((o) => chosen.includes(o.value))
            .map(asOption),
        };
        break;
      }
      case 'radio_buttons': {
        const chosen = el.querySelector('input:checked')?.value;
        state = { type, selected_option: asOption(flatOptions(element).find((o) => o.value === chosen)) };
        break;
      }
      case 'file_input':
        state = { type, uploads: await Promise.all([...el.files].map(readFile)) };
        break;
      default:
        continue;
    }
    values[blockId] ??= {};
    values[blockId][actionId] = state;
  }
  return values;
}

/** What was typed or picked, to carry over when the bot updates the view (as Slack keeps input state). */
function saveInputs(root) {
  const saved = {};
  for (const el of root.querySelectorAll('[data-input]')) {
    const key = `${el.dataset.blockId}/${el.dataset.actionId}`;
    if (el.dataset.input === 'checkboxes' || el.dataset.input === 'radio_buttons')
      saved[key] = { checked: [...el.querySelectorAll('input:checked')].map((i) => i.value) };
    else if (el.multiple) saved[key] = { selected: [...el.selectedOptions].map((o) => o.value) };
    else if (el.type !== 'file') saved[key] = { value: el.value, selected: el.dataset.selected };
  }
  return saved;
}

function restoreInputs(root, saved) {
  for (const el of root.querySelectorAll('[data-input]')) {
    const s = saved[`${el.dataset.blockId}/${el.dataset.actionId}`];
    if (!s) continue;
    if (s.checked) for (const i of el.querySelectorAll('input')) i.checked = s.checked.includes(i.value);
    else if (el.multiple && Array.isArray(s.selected))
      for (const o of el.options) o.selected = s.selected.includes(o.value);
    else {
      el.value = s.value;
      if (s.selected) el.dataset.selected = s.selected;
    }
  }
}

function renderModal() {
  const root = $('modal-root');
  const modal = ui.data.modal;
  if (!modal) {
    root.innerHTML = '';
    ui.modalKey = '';
    ui.modalErrors = {};
    return;
  }
  const key = `${modal.id}:${JSON.stringify(modal.view)}:${JSON.stringify(ui.modalErrors)}`;
  if (key === ui.modalKey) return;
  const sameView = ui.modalKey.startsWith(`${modal.id}:`);
  const saved = sameView ? saveInputs(root) : {};
  if (!sameView) ui.modalErrors = {};
  ui.modalKey = `${modal.id}:${JSON.stringify(modal.view)}:${JSON.stringify(ui.modalErrors)}`;
  const view = modal.view;
  const ctx = renderCtx();
  const title = textObject({ ...(view.title ?? { text: 'Modal' }), type: 'plain_text' }, ctx);
  const close = view.close ? textObject({ ...view.close, type: 'plain_text' }, ctx) : 'Cancel';
  const submit = view.submit
    ? `<button type="submit" form="modal-form" class="bk-button bk-primary modal-submit">${textObject({ ...view.submit, type: 'plain_text' }, ctx)}</button>`
    : '';
  root.innerHTML = `<div class="modal-backdrop"><div class="modal" role="dialog" aria-modal="true" aria-label="${escapeHtml(view.title?.text ?? 'Modal')}" data-view-id="${escapeHtml(modal.id)}">
<div class="modal-head"><h2>${title}</h2><button type="button" class="modal-x" data-close aria-label="Close">×</button></div>
<form id="modal-form" class="modal-body" novalidate>${renderBlocks(view.blocks, ctx, { surface: 'modal', errors: ui.modalErrors })}</form>
<div class="modal-foot"><button type="button" class="bk-button" data-close>${close}</button>${submit}</div></div></div>`;
  restoreInputs(root, saved);
  if (!sameView) root.querySelector('.bk-input')?.focus();
}

async function submitModal() {
  const modal = ui.data?.modal;
  if (!modal) return;
  const root = $('modal-root');
  const button = root.querySelector('.modal-submit');
  button?.classList.add('busy');
  try {
    const values = await collectValues(root, modal.view);
    const result = await api('/api/submit', { user: ui.user, viewId: modal.id, values });
    if (!result.ok) return toast(describeBotError(result), 'error');
    if (result.errors) {
      ui.modalErrors = result.errors;
      ui.modalKey = `${ui.modalKey.split(':')[0]}:force`;
      renderModal();
      return;
    }
    ui.modalErrors = {};
  } finally {
    button?.classList.remove('busy');
    poll();
  }
}

async function closeModal() {
  const modal = ui.data?.modal;
  if (!modal) return;
  $('modal-root').innerHTML = '';
  await api('/api/close', { user: ui.user, viewId: modal.id });
  poll();
}

// external_select: ask the bot for options (block_suggestion) as the person types
let suggestTimer;
async function suggest(input) {
  const modal = ui.data?.modal;
  if (!modal) return;
  const list = input.parentElement.querySelector('.bk-combo-list');
  if (input.value.length < Number(input.dataset.min ?? 3)) {
    list.hidden = true;
    return;
  }
  const values = await collectValues($('modal-root'), modal.view);
  const result = await api('/api/suggest', {
    user: ui.user,
    viewId: modal.id,
    blockId: input.dataset.blockId,
    actionId: input.dataset.actionId,
    value: input.value,
    values,
  });
  const options = [...(result.options ?? []), ...(result.option_groups ?? []).flatMap((g) => g.options ?? [])];
  list.innerHTML = options.length
    ? options
        .map((o, i) => `<div role="option" data-option="${i}">${escapeHtml(o.text?.text ?? o.value)}</div>`)
        .join('')
    : '<div class="empty">No matches</div>';
  list.options = options;
  list.hidden = false;
}

// ---- actions ------------------------------------------------------------------------------------------------------

function selectionFor(el, itemBlocks) {
  const type = el.dataset.type;
  if (type === 'button') return {};
  if (type === 'users_select') return { selected_user: el.value || null };
  if (type === 'conversations_select') return { selected_conversation: el.value || null };
  if (type === 'channels_select') return { selected_channel: el.value || null };
  if (type === 'datepicker') return { selected_date: el.value || null };
  const block = itemBlocks?.[Number(el.dataset.block)];
  const element = Number(el.dataset.element) === -1 ? block?.accessory : block?.elements?.[Number(el.dataset.element)];
  return { selected_option: asOption(flatOptions(element).find((o) => o.value === el.value)) };
}

async function sendAction(el) {
  if (el.dataset.confirm && !window.confirm(el.dataset.confirm)) return;
  const msg = el.closest('.msg');
  const inModal = el.closest('.modal');
  const inHome = el.closest('.home-view');
  el.classList.add('busy');
  try {
    let body;
    if (inHome) {
      body = {
        user: ui.user,
        home: true,
        blockIndex: Number(el.dataset.block),
        elementIndex: Number(el.dataset.element),
        selection: selectionFor(el, ui.data.home?.blocks),
      };
    } else if (inModal) {
      const modal = ui.data.modal;
      body = {
        user: ui.user,
        viewId: modal.id,
        values: await collectValues($('modal-root'), modal.view),
        blockIndex: Number(el.dataset.block),
        elementIndex: Number(el.dataset.element),
        selection: selectionFor(el, modal.view.blocks),
      };
    } else {
      const item = (ui.data.conversations[ui.conv] ?? []).find((i) => itemKey(i) === msg.dataset.key);
      body = {
        user: ui.user,
        channel: ui.conv,
        ts: msg.dataset.ts,
        ephemeral: msg.dataset.kind === 'ephemeral',
        blockIndex: Number(el.dataset.block),
        elementIndex: Number(el.dataset.element),
        selection: selectionFor(el, item?.blocks),
      };
    }
    const result = await api('/api/action', body);
    if (!result.ok) toast(describeBotError(result), 'error');
  } finally {
    el.classList.remove('busy');
    poll();
  }
}

async function send(text) {
  const result = await api('/api/send', { user: ui.user, channel: ui.conv, text });
  if (!result.ok) {
    toast(describeBotError(result), 'error');
    return false;
  }
  poll();
  return true;
}

// ---- navigation ---------------------------------------------------------------------------------------------------

function syncLocation() {
  const c = channel(ui.conv);
  const hash = `#as=${encodeURIComponent(person(ui.user).name)}&in=${c ? encodeURIComponent(c.name) : homeOwner(ui.conv) ? 'home' : 'dm'}`;
  if (location.hash !== hash) history.replaceState(null, '', hash);
}

/** As in Slack: opening the Home tab sends app_home_opened, and the bot publishes it afresh. */
async function openHome() {
  const result = await api('/api/home', { user: ui.user });
  if (!result.ok) toast(describeBotError(result), 'error');
  poll();
}

function openConversation(conv) {
  const owner = ownerOf(conv);
  if (owner && owner !== ui.user) setUser(owner, false);
  ui.conv = conv;
  if (homeOwner(conv)) void openHome();
  renderConversationHeader();
  syncLocation();
  if (ui.data) {
    renderSidebar();
    renderTimeline();
  }
  $('composer-input').focus();
}

function setUser(userId, keepConversation = true) {
  ui.user = userId;
  ui.etag = '';
  ui.modalKey = '';
  $('person').value = userId;
  renderWho();
  // A DM belongs to one person: switching person moves to their DM.
  if (keepConversation && dmOwner(ui.conv)) ui.conv = `D${userId}`;
  if (keepConversation && homeOwner(ui.conv)) {
    ui.conv = homeOf(userId);
    void openHome();
  }
  renderConversationHeader();
  syncLocation();
  poll();
}

function bind() {
  $('person').addEventListener('change', (e) => setUser(e.target.value));
  for (const list of [$('channels'), $('homes'), $('dms')]) {
    list.addEventListener('click', (e) => {
      const a = e.target.closest('a[data-conv]');
      if (!a) return;
      e.preventDefault();
      openConversation(a.dataset.conv);
    });
  }
  $('composer').addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = $('composer-input');
    const text = input.value.trim();
    if (!text) return;
    ui.history.push(text);
    ui.historyAt = ui.history.length;
    input.value = '';
    if (!(await send(text))) input.value = text;
  });
  $('composer-input').addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
    if (!ui.history.length) return;
    ui.historyAt = Math.max(0, Math.min(ui.history.length, ui.historyAt + (e.key === 'ArrowUp' ? -1 : 1)));
    e.target.value = ui.history[ui.historyAt] ?? '';
    e.preventDefault();
  });
  $('suggestions').addEventListener('click', (e) => {
    const b = e.target.closest('[data-suggest]');
    if (!b) return;
    const input = $('composer-input');
    input.value = `${b.dataset.suggest} `;
    input.focus();
  });
  $('topups').addEventListener('click', async (e) => {
    const b = e.target.closest('[data-settle]');
    if (!b) return;
    b.disabled = true;
    const result = await api(`/api/stripe/topups/${encodeURIComponent(b.dataset.topup)}`, {
      outcome: b.dataset.settle,
    });
    if (!result.ok) toast(result.error ?? 'could not settle the top-up', 'error');
    poll();
  });

  $('scenarios').addEventListener('click', async (e) => {
    const b = e.target.closest('[data-scenario]');
    if (!b) return;
    b.disabled = true;
    const result = await api(`/api/stripe/scenarios/${encodeURIComponent(b.dataset.scenario)}`, {});
    toast(result.ok ? result.said : (result.error ?? 'the scenario did not run'), result.ok ? 'info' : 'error');
    b.disabled = false;
    poll();
  });

  $('next-day').addEventListener('click', async (e) => {
    e.target.disabled = true;
    const result = await api('/api/next-day', {});
    e.target.disabled = false;
    if (!result.ok) toast(result.error ?? 'could not move the clocks', 'error');
    else
      toast(
        `Now ${result.funding?.today ?? 'the next business day'}${result.fired.length ? `: ${result.fired.length} schedule firing(s)` : ''}`,
      );
    poll();
  });

  $('transfers').addEventListener('click', async (e) => {
    const b = e.target.closest('[data-reverse]');
    if (!b) return;
    b.disabled = true;
    const result = await api(
      `/api/stripe/transfers/${encodeURIComponent(b.dataset.reverse)}/reverse`,
      b.dataset.amount ? { amount: Number(b.dataset.amount) } : {},
    );
    if (!result.ok) toast(result.error ?? 'could not reverse the transfer', 'error');
    poll();
  });

  // message buttons (URL buttons open their link and still tell the bot, as Slack does) and menus
  $('messages').addEventListener('click', (e) => {
    const el = e.target.closest('[data-action]');
    if (el && (el.tagName === 'BUTTON' || el.tagName === 'A')) void sendAction(el);
  });
  $('messages').addEventListener('change', (e) => {
    const el = e.target.closest('[data-action]');
    if (el?.value) void sendAction(el);
  });

  const modalRoot = $('modal-root');
  modalRoot.addEventListener('click', (e) => {
    if (e.target.closest('[data-close]')) return void closeModal();
    const option = e.target.closest('[role=option]');
    if (option) {
      const list = option.parentElement;
      const input = list.parentElement.querySelector('input');
      const chosen = list.options[Number(option.dataset.option)];
      input.value = chosen.text?.text ?? chosen.value;
      input.dataset.selected = JSON.stringify({ text: chosen.text, value: chosen.value });
      list.hidden = true;
      return;
    }
    const el = e.target.closest('[data-action]');
    if (el && (el.tagName === 'BUTTON' || el.tagName === 'A')) void sendAction(el);
  });
  modalRoot.addEventListener('change', (e) => {
    const el = e.target.closest('[data-action]');
    if (el?.value) void sendAction(el);
  });
  modalRoot.addEventListener('submit', (e) => {
    e.preventDefault();
    void submitModal();
  });
  modalRoot.addEventListener('input', (e) => {
    const input = e.target;
    if (input.dataset?.input !== 'external_select') return;
    delete input.dataset.selected;
    clearTimeout(suggestTimer);
    suggestTimer = setTimeout(() => void suggest(input), 200);
  });
  modalRoot.addEventListener('focusin', (e) => {
    if (e.target.dataset?.input === 'external_select' && !e.target.dataset.selected) void suggest(e.target);
  });
  modalRoot.addEventListener('focusout', (e) => {
    if (e.target.dataset?.input !== 'external_select') return;
    const list = e.target.parentElement.querySelector('.bk-combo-list');
    setTimeout(() => (list.hidden = true), 200);
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && ui.data?.modal) void closeModal();
  });
}

/** Whether this machine draws colour emoji; without a font for them (e.g. a bare Linux box), CSS draws stand-ins. */
function hasColorEmoji() {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 24;
  const g = canvas.getContext('2d');
  if (!g) return true;
  g.textBaseline = 'top';
  g.font = '18px sans-serif';
  g.fillText('\u2705', 0, 0);
  const data = g.getImageData(0, 0, 24, 24).data;
  for (let i = 0; i < data.length; i += 4)
    if (data[i + 3] > 0 && (data[i] !== data[i + 1] || data[i + 1] !== data[i + 2])) return true;
  return false;
}

async function start() {
  if (!hasColorEmoji()) document.documentElement.classList.add('no-emoji');
  ui.meta = await api('/api/meta');
  $('stripe-log').href = ui.meta.links.stripeRequests;
  $('person').innerHTML = ui.meta.people
    .map((p) => `<option value="${escapeHtml(p.id)}" title="${escapeHtml(p.role)}">@${escapeHtml(p.name)}</option>`)
    .join('');
  const params = new URLSearchParams(location.hash.slice(1) || location.search.slice(1));
  const who = ui.meta.people.find((p) => p.name === params.get('as') || p.id === params.get('as')) ?? ui.meta.people[0];
  ui.user = who.id;
  const where = params.get('in');
  ui.conv =
    where === 'dm'
      ? `D${who.id}`
      : where === 'home'
        ? homeOf(who.id)
        : (ui.meta.channels.find((c) => c.name === where) ?? ui.meta.channels[0]).id;
  $('person').value = ui.user;
  bind();
  renderWho();
  renderConversationHeader();
  syncLocation();
  if (homeOwner(ui.conv)) void openHome();
  await poll();
}

void start();
