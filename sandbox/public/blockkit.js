// Block Kit and mrkdwn → HTML, for the sandbox console. Written by hand: no maintained renderer runs in a plain
// browser page without a build step. Pure functions of JSON (no DOM), so they run under Node in the tests too.
// Covers what the bot sends and a little more: section (text, fields, accessory), context, divider, header, image,
// actions (button, selects, overflow, datepicker), input (plain text, number, email, url, static/external/users/
// conversations selects, checkboxes, radios, date, time, file), rich_text (flattened), legacy attachments.

const EMOJI = {
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  x: '❌',
  warning: '⚠️',
  no_entry: '⛔',
  no_entry_sign: '🚫',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  large_yellow_circle: '🟡',
  large_green_circle: '🟢',
  red_circle: '🔴',
  large_blue_circle: '🔵',
  inbox_tray: '📥',
  outbox_tray: '📤',
  envelope: '✉️',
  bank: '🏦',
  moneybag: '💰',
  money_with_wings: '💸',
  mag: '🔍',
  lock: '🔒',
  raised_hand: '✋',
  wastebasket: '🗑️',
  alarm_clock: '⏰',
  snail: '🐌',
  page_facing_up: '📄',
  information_source: 'ℹ️',
  firing: '🔥',
  fire: '🔥',
  double_vertical_bar: '⏸️',
  arrow_forward: '▶️',
  leftwards_arrow_with_hook: '↩️',
  calendar: '📆',
  date: '📅',
  tada: '🎉',
  wave: '👋',
  rocket: '🚀',
  bell: '🔔',
  memo: '📝',
  clipboard: '📋',
  receipt: '🧾',
  credit_card: '💳',
  dollar: '💵',
  euro: '💶',
  pound: '💷',
  yen: '💴',
  eyes: '👀',
  thumbsup: '👍',
  '+1': '👍',
  thinking_face: '🤔',
  point_right: '👉',
  repeat: '🔁',
  arrows_counterclockwise: '🔄',
  link: '🔗',
  key: '🔑',
  gear: '⚙️',
  bulb: '💡',
  star: '⭐',
  eye: '👁️',
  frame_with_picture: '🖼️',
  house: '🏠',
};

const ENTITY = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** Text → safe HTML text. */
export function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Slack's three entities (and quotes) back to characters. */
export function unescapeEntities(text) {
  return String(text ?? '').replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITY[e] ?? e);
}

/** `:name:` → the emoji, in a span whose data-name lets the page draw a fallback where no emoji font exists. */
export function emoji(html) {
  return html.replace(/:([a-z0-9_+-]+):/g, (match, name) =>
    EMOJI[name] ? `<span class="emoji" data-name="${name}">${EMOJI[name]}</span>` : match,
  );
}

const SAFE_URL = /^(https?:|mailto:)/i;

function link(url, label) {
  const href = unescapeEntities(url);
  if (!SAFE_URL.test(href)) return escapeHtml(unescapeEntities(label ?? url));
  return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${escapeHtml(unescapeEntities(label ?? url))}</a>`;
}

/** One `<…>` token of mrkdwn: mentions, channels, special mentions, dates and links. */
function token(inner, ctx) {
  const bar = inner.indexOf('|');
  const head = bar >= 0 ? inner.slice(0, bar) : inner;
  const label = bar >= 0 ? inner.slice(bar + 1) : undefined;
  if (head.startsWith('@')) {
    const id = head.slice(1);
    const name = ctx?.userName?.(id) ?? label ?? id;
    return `<span class="bk-mention" data-user="${escapeHtml(id)}">@${escapeHtml(unescapeEntities(name))}</span>`;
  }
  if (head.startsWith('#')) {
    const id = head.slice(1);
    const name = ctx?.channelName?.(id) ?? label ?? id;
    return `<span class="bk-mention">#${escapeHtml(unescapeEntities(name))}</span>`;
  }
  if (head.startsWith('!')) {
    if (head.startsWith('!date^')) {
      const seconds = Number(head.split('^')[1]);
      const title = Number.isFinite(seconds) ? ` title="${escapeHtml(new Date(seconds * 1000).toString())}"` : '';
      return `<span class="bk-date"${title}>${escapeHtml(unescapeEntities(label ?? ''))}</span>`;
    }
    if (head.startsWith('!subteam^'))
      return `<span class="bk-mention">${escapeHtml(unescapeEntities(label ?? `@${head.slice(9)}`))}</span>`;
    return `<span class="bk-mention">@${escapeHtml(head.slice(1))}</span>`;
  }
  if (head.startsWith('mailto:')) return link(head, label ?? head.slice(7));
  return link(head, label);
}

/**
 * Slack mrkdwn → HTML: ```pre```, `code`, *bold*, _italic_, ~strike~, > quotes, :emoji:, <@U…> as @name,
 * <#C…|name>, <!here>, <!date^…|fallback> as its fallback, <url|text> and <url> links, &lt; &gt; &amp;.
 * `ctx.userName(id)` / `ctx.channelName(id)` name mentions; without them the label or the id is shown.
 */
export function mrkdwn(text, ctx) {
  const slots = [];
  const hold = (html) => `\u0001${slots.push(html) - 1}\u0002`;
  let s = String(text ?? '');
  s = s.replace(/```([\s\S]*?)```/g, (_, code) =>
    hold(`<pre class="bk-pre">${escapeHtml(unescapeEntities(code.replace(/^\n/, '')))}</pre>`),
  );
  s = s.replace(/`([^`\n]+)`/g, (_, code) => hold(`<code>${escapeHtml(unescapeEntities(code))}</code>`));
  s = s.replace(/<([^<>\n]+)>/g, (_, inner) => hold(token(inner, ctx)));
  s = escapeHtml(unescapeEntities(s));
  s = s.replace(/(^|[^\w*])\*(?!\s)([^*\n]+?)\*(?!\w)/g, '$1<b>$2</b>');
  s = s.replace(/(^|[^\w_])_(?!\s)([^_\n]+?)_(?!\w)/g, '$1<i>$2</i>');
  s = s.replace(/(^|[^\w~])~(?!\s)([^~\n]+?)~(?!\w)/g, '$1<s>$2</s>');
  s = s
    .split('\n')
    .map((line) =>
      line.startsWith('&#62; ') || line === '&#62;' ? `<span class="bk-quote">${line.slice(6)}</span>` : line,
    )
    .join('\n');
  s = emoji(s).replace(/\n/g, '<br>');
  // Slots may hold slots (a link inside a held token never does, but keep it simple and safe).
  for (let i = 0; i < 3 && s.includes('\u0001'); i += 1) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: U+0001/U+0002 are the slot markers this renderer itself writes.
    s = s.replace(/\u0001(\d+)\u0002/g, (_, n) => slots[Number(n)] ?? '');
  }
  return s;
}

/** A text object (plain_text or mrkdwn) → HTML. */
export function textObject(obj, ctx) {
  if (obj == null) return '';
  if (typeof obj === 'string') return escapeHtml(obj);
  if (obj.type === 'mrkdwn') return mrkdwn(obj.text, ctx);
  const html = escapeHtml(obj.text ?? '').replace(/\n/g, '<br>');
  return obj.emoji === false ? html : emoji(html);
}

const plain = (obj) => (obj == null ? '' : typeof obj === 'string' ? obj : String(obj.text ?? ''));
const attr = (name, value) =>
  value === undefined || value === null || value === '' ? '' : ` ${name}="${escapeHtml(value)}"`;
export const blockIdOf = (block, index) => (typeof block.block_id === 'string' ? block.block_id : `auto_${index}`);

function optionsHtml(element, selectedValues) {
  const option = (o) =>
    `<option value="${escapeHtml(o.value)}"${selectedValues.includes(o.value) ? ' selected' : ''}>${escapeHtml(plain(o.text))}</option>`;
  if (Array.isArray(element.option_groups)) {
    return element.option_groups
      .map(
        (g) => `<optgroup label="${escapeHtml(plain(g.label))}">${(g.options ?? []).map(option).join('')}</optgroup>`,
      )
      .join('');
  }
  return (element.options ?? []).map(option).join('');
}

function peopleOptions(ctx, selected) {
  return (ctx?.people ?? [])
    .map(
      (p) =>
        `<option value="${escapeHtml(p.id)}"${p.id === selected ? ' selected' : ''}>@${escapeHtml(p.name)}</option>`,
    )
    .join('');
}

function channelOptions(ctx, selected) {
  return (ctx?.channels ?? [])
    .map(
      (c) =>
        `<option value="${escapeHtml(c.id)}"${c.id === selected ? ' selected' : ''}>#${escapeHtml(c.name)}</option>`,
    )
    .join('');
}

/**
 * An interactive element outside input blocks (actions block or section accessory). `data-element` is the
 * element's index in the block (-1 for an accessory); the console turns a click or change into block_actions.
 */
function interactive(element, ctx, blockIndex, elementIndex) {
  const where = ` data-block="${blockIndex}" data-element="${elementIndex}" data-type="${escapeHtml(element.type)}"`;
  const placeholder = plain(element.placeholder) || 'Select…';
  switch (element.type) {
    case 'button': {
      const style = element.style === 'primary' || element.style === 'danger' ? ` bk-${element.style}` : '';
      const label = textObject(element.text, ctx);
      if (element.url) {
        return `<a class="bk-button${style}" data-action${where} href="${escapeHtml(element.url)}" target="_blank" rel="noopener">${label}</a>`;
      }
      // Slack asks first when a button carries a `confirm` dialog; the console asks with the browser's own.
      const confirm = element.confirm
        ? attr(
            'data-confirm',
            [
              plain(element.confirm.title),
              plain(element.confirm.text),
              `(${plain(element.confirm.confirm) || 'Yes'} / ${plain(element.confirm.deny) || 'Cancel'})`,
            ].join('\n\n'),
          )
        : '';
      return `<button type="button" class="bk-button${style}" data-action${where}${confirm}>${label}</button>`;
    }
    case 'static_select':
    case 'external_select':
      return `<select class="bk-select" data-action${where}><option value="">${escapeHtml(placeholder)}</option>${optionsHtml(element, element.initial_option ? [element.initial_option.value] : [])}</select>`;
    case 'users_select':
      return `<select class="bk-select" data-action${where}><option value="">${escapeHtml(placeholder)}</option>${peopleOptions(ctx, element.initial_user)}</select>`;
    case 'conversations_select':
    case 'channels_select':
      return `<select class="bk-select" data-action${where}><option value="">${escapeHtml(placeholder)}</option>${channelOptions(ctx, element.initial_conversation ?? element.initial_channel)}</select>`;
    case 'overflow':
      return `<select class="bk-select bk-overflow" data-action${where} aria-label="More actions"><option value="">⋯</option>${optionsHtml(element, [])}</select>`;
    case 'datepicker':
      return `<input class="bk-date-input" type="date" data-action${where}${attr('value', element.initial_date)}>`;
    case 'image':
      return `<span class="bk-image-alt" title="${escapeHtml(element.image_url)}">${emoji(':frame_with_picture:')} ${escapeHtml(element.alt_text)}</span>`;
    default:
      return `<span class="bk-unsupported">[${escapeHtml(element.type)}]</span>`;
  }
}

/** An input block's element, for a modal; `data-block-id`/`data-action-id` key its state.values entry. */
function inputElement(element, ctx, blockId) {
  const keys = ` data-input="${escapeHtml(element.type)}" data-block-id="${escapeHtml(blockId)}" data-action-id="${escapeHtml(element.action_id ?? '')}"`;
  const placeholder = attr('placeholder', plain(element.placeholder));
  switch (element.type) {
    case 'plain_text_input':
      return element.multiline
        ? `<textarea class="bk-input" rows="4"${keys}${placeholder}${attr('maxlength', element.max_length)}>${escapeHtml(element.initial_value ?? '')}</textarea>`
        : `<input class="bk-input" type="text"${keys}${placeholder}${attr('maxlength', element.max_length)}${attr('value', element.initial_value)}>`;
    case 'number_input':
      return `<input class="bk-input" type="number" step="${element.is_decimal_allowed ? 'any' : '1'}"${keys}${placeholder}${attr('min', element.min_value)}${attr('max', element.max_value)}${attr('value', element.initial_value)}>`;
    case 'email_text_input':
      return `<input class="bk-input" type="email"${keys}${placeholder}${attr('value', element.initial_value)}>`;
    case 'url_text_input':
      return `<input class="bk-input" type="url"${keys}${placeholder}${attr('value', element.initial_value)}>`;
    case 'static_select':
      return `<select class="bk-input"${keys}><option value="">${escapeHtml(plain(element.placeholder) || 'Select an option')}</option>${optionsHtml(element, element.initial_option ? [element.initial_option.value] : [])}</select>`;
    case 'multi_static_select':
      return `<select class="bk-input" multiple${keys}>${optionsHtml(
        element,
        (element.initial_options ?? []).map((o) => o.value),
      )}</select>`;
    case 'external_select': {
      const initial = element.initial_option;
      return `<div class="bk-combo"><input class="bk-input" type="text" autocomplete="off" role="combobox"${keys}${placeholder}${attr('data-min', element.min_query_length ?? 3)}${initial ? `${attr('value', plain(initial.text))} data-selected="${escapeHtml(JSON.stringify(initial))}"` : ''}><div class="bk-combo-list" role="listbox" hidden></div></div>`;
    }
    case 'users_select':
      return `<select class="bk-input"${keys}><option value="">${escapeHtml(plain(element.placeholder) || 'Select a person')}</option>${peopleOptions(ctx, element.initial_user)}</select>`;
    case 'multi_users_select':
      return `<select class="bk-input" multiple${keys}>${(ctx?.people ?? []).map((p) => `<option value="${escapeHtml(p.id)}"${(element.initial_users ?? []).includes(p.id) ? ' selected' : ''}>@${escapeHtml(p.name)}</option>`).join('')}</select>`;
    case 'conversations_select':
    case 'channels_select':
      return `<select class="bk-input"${keys}><option value="">${escapeHtml(plain(element.placeholder) || 'Select a channel')}</option>${channelOptions(ctx, element.initial_conversation ?? element.initial_channel)}</select>`;
    case 'datepicker':
      return `<input class="bk-input" type="date"${keys}${attr('value', element.initial_date)}>`;
    case 'timepicker':
      return `<input class="bk-input" type="time"${keys}${attr('value', element.initial_time)}>`;
    case 'checkboxes':
    case 'radio_buttons': {
      const type = element.type === 'checkboxes' ? 'checkbox' : 'radio';
      const initial =
        element.type === 'checkboxes'
          ? (element.initial_options ?? []).map((o) => o.value)
          : [element.initial_option?.value];
      return `<div class="bk-choices"${keys}>${(element.options ?? [])
        .map(
          (o) =>
            `<label><input type="${type}" name="${escapeHtml(`${blockId}/${element.action_id}`)}" value="${escapeHtml(o.value)}"${initial.includes(o.value) ? ' checked' : ''}> ${textObject(o.text, ctx)}</label>`,
        )
        .join('')}</div>`;
    }
    case 'file_input': {
      const accept = Array.isArray(element.filetypes)
        ? attr('accept', element.filetypes.map((t) => `.${t}`).join(','))
        : '';
      return `<input class="bk-input" type="file"${keys}${accept}${(element.max_files ?? 10) > 1 ? ' multiple' : ''}>`;
    }
    default:
      return `<span class="bk-unsupported"${keys}>[${escapeHtml(element.type)}]</span>`;
  }
}

function richText(block, ctx) {
  const inline = (el) => {
    switch (el.type) {
      case 'text': {
        let html = escapeHtml(el.text).replace(/\n/g, '<br>');
        if (el.style?.code) html = `<code>${html}</code>`;
        if (el.style?.bold) html = `<b>${html}</b>`;
        if (el.style?.italic) html = `<i>${html}</i>`;
        if (el.style?.strike) html = `<s>${html}</s>`;
        return html;
      }
      case 'link':
        return link(el.url, el.text ?? el.url);
      case 'user':
        return token(`@${el.user_id}`, ctx);
      case 'channel':
        return token(`#${el.channel_id}`, ctx);
      case 'emoji':
        return emoji(`:${escapeHtml(el.name)}:`);
      case 'broadcast':
        return `<span class="bk-mention">@${escapeHtml(el.range)}</span>`;
      default:
        return '';
    }
  };
  const part = (el) => {
    const inner = (el.elements ?? [])
      .map((child) => (child.type?.startsWith('rich_text_') ? part(child) : inline(child)))
      .join('');
    if (el.type === 'rich_text_preformatted') return `<pre class="bk-pre">${inner}</pre>`;
    if (el.type === 'rich_text_quote') return `<span class="bk-quote">${inner}</span>`;
    if (el.type === 'rich_text_list')
      return `<ul>${(el.elements ?? []).map((item) => `<li>${part(item)}</li>`).join('')}</ul>`;
    return inner;
  };
  return `<div class="bk-section">${part(block)}</div>`;
}

/**
 * Blocks → HTML. `opts.surface` is 'message' or 'modal'; `opts.errors` maps block_id → message for input blocks.
 * `ctx` gives names for mentions and the people/channels for user and conversation selects.
 */
export function renderBlocks(blocks, ctx, opts = {}) {
  return (blocks ?? [])
    .map((block, index) => {
      switch (block.type) {
        case 'section': {
          const text = block.text ? `<div class="bk-text">${textObject(block.text, ctx)}</div>` : '';
          const fields = Array.isArray(block.fields)
            ? `<div class="bk-fields">${block.fields.map((f) => `<div class="bk-field">${textObject(f, ctx)}</div>`).join('')}</div>`
            : '';
          const accessory = block.accessory
            ? `<div class="bk-accessory">${interactive(block.accessory, ctx, index, -1)}</div>`
            : '';
          return `<div class="bk-block bk-section" data-block-index="${index}"><div class="bk-section-body">${text}${fields}</div>${accessory}</div>`;
        }
        case 'header':
          return `<div class="bk-block bk-header">${textObject({ ...block.text, type: 'plain_text' }, ctx)}</div>`;
        case 'divider':
          return '<hr class="bk-block bk-divider">';
        case 'context':
          return `<div class="bk-block bk-context">${(block.elements ?? [])
            .map((e) =>
              e.type === 'image'
                ? `<span class="bk-image-alt">${emoji(':frame_with_picture:')} ${escapeHtml(e.alt_text)}</span>`
                : `<span>${textObject(e, ctx)}</span>`,
            )
            .join('')}</div>`;
        case 'actions':
          return `<div class="bk-block bk-actions">${(block.elements ?? []).map((e, i) => interactive(e, ctx, index, i)).join('')}</div>`;
        case 'image':
          return `<div class="bk-block bk-image">${block.title ? `<div class="bk-image-title">${textObject(block.title, ctx)}</div>` : ''}<span class="bk-image-alt" title="${escapeHtml(block.image_url)}">${emoji(':frame_with_picture:')} ${escapeHtml(block.alt_text)}</span></div>`;
        case 'input': {
          const blockId = blockIdOf(block, index);
          const error = opts.errors?.[blockId];
          return `<div class="bk-block bk-input-block${error ? ' bk-has-error' : ''}" data-block-id="${escapeHtml(blockId)}">
<label class="bk-label">${textObject({ ...block.label, type: 'plain_text' }, ctx)}${block.optional ? ' <span class="bk-optional">(optional)</span>' : ''}</label>
${block.element ? inputElement(block.element, ctx, blockId) : ''}
${error ? `<div class="bk-error" role="alert">${escapeHtml(error)}</div>` : ''}
${block.hint ? `<div class="bk-hint">${textObject(block.hint, ctx)}</div>` : ''}</div>`;
        }
        case 'rich_text':
          return richText(block, ctx);
        default:
          return `<div class="bk-block bk-unsupported">[${escapeHtml(block.type)} block]</div>`;
      }
    })
    .join('');
}

/** Legacy attachments: a coloured bar with their text, fields or blocks. */
export function renderAttachments(attachments, ctx) {
  return (attachments ?? [])
    .map((a) => {
      const color = /^#?[0-9a-f]{3,8}$/i.test(a.color ?? '')
        ? a.color.startsWith('#')
          ? a.color
          : `#${a.color}`
        : a.color === 'good'
          ? '#2eb67d'
          : a.color === 'danger'
            ? '#e01e5a'
            : a.color === 'warning'
              ? '#ecb22e'
              : '#ddd';
      const body = [
        a.pretext ? `<div>${mrkdwn(a.pretext, ctx)}</div>` : '',
        a.title ? `<div class="bk-att-title">${escapeHtml(a.title)}</div>` : '',
        a.text ? `<div>${mrkdwn(a.text, ctx)}</div>` : '',
        Array.isArray(a.fields)
          ? `<div class="bk-fields">${a.fields.map((f) => `<div class="bk-field"><b>${escapeHtml(f.title)}</b><br>${mrkdwn(f.value, ctx)}</div>`).join('')}</div>`
          : '',
        Array.isArray(a.blocks) ? renderBlocks(a.blocks, ctx) : '',
        a.footer ? `<div class="bk-context">${mrkdwn(a.footer, ctx)}</div>` : '',
      ].join('');
      return `<div class="bk-attachment" style="border-left-color:${escapeHtml(color)}">${body}</div>`;
    })
    .join('');
}

/** A message's visible body: its blocks, else its text, then any attachments. */
export function renderMessageBody(message, ctx) {
  const blocks =
    Array.isArray(message.blocks) && message.blocks.length > 0
      ? renderBlocks(message.blocks, ctx, { surface: 'message' })
      : `<div class="bk-text">${mrkdwn(message.text, ctx)}</div>`;
  return blocks + renderAttachments(message.attachments, ctx);
}
