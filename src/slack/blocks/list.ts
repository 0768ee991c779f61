import { context, type KnownBlock, section } from './common.js';
import { clip, LIMITS } from './limits.js';

export interface ListOptions {
  /** The blocks the list may use, its "…and N more" line included. */
  maxBlocks: number;
  /** Shown after "…and N more.": how to get the rest. */
  moreLabel: string;
  /** Show at most this many items, even when more would fit. */
  maxItems?: number;
  /** When `items` is one page of a longer list: how many there are in all, and how many come before this page. */
  page?: { total: number; before: number };
}

/** "page 2 of 500" in a title, or nothing when everything fits on one page. */
export function pageLabel(page: number, total: number, perPage: number): string {
  const pages = Math.ceil(total / perPage);
  return pages > 1 ? ` (page ${page} of ${pages})` : '';
}

/** The answer when a page past the last is asked for, or undefined when `page` exists. */
export function pastLastPage(
  page: number,
  total: number,
  perPage: number,
  command: string,
  what: string,
): string | undefined {
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (page <= pages) return undefined;
  return `There ${pages === 1 ? 'is only 1 page' : `are only ${pages} pages`} of ${what}: \`${command} ${pages}\` is the last.`;
}

/**
 * A list that fits a message whatever its length: text rows (each clipped to a line or two) are packed into sections under the section limit,
 * a row given as blocks (e.g. a line with its buttons) is kept whole, and what does not fit is cut with
 * "…and N more" and the way to get the rest. Rows are rendered only until the list is full.
 */
export function listBlocks<T>(
  items: readonly T[],
  render: (item: T) => string | KnownBlock[],
  options: ListOptions,
): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let open: string | undefined; // the text of the last section, still taking rows
  const flush = () => {
    if (open !== undefined) blocks.push(section(open));
    open = undefined;
  };
  const limit = Math.min(items.length, options.maxItems ?? items.length);
  let shown = 0;
  for (; shown < limit; shown++) {
    const row = render(items[shown] as T);
    // Room for the "…and N more" line is kept unless this is the last item.
    const reserve = shown + 1 < (options.page ? options.page.total - options.page.before : items.length) ? 1 : 0;
    const used = blocks.length + (open === undefined ? 0 : 1);
    if (typeof row === 'string') {
      const text = clip(row, LIMITS.listRow);
      if (open !== undefined && open.length + 1 + text.length <= LIMITS.sectionText) {
        open = `${open}\n${text}`;
        continue;
      }
      if (used + 1 + reserve > options.maxBlocks) break;
      flush();
      open = text;
    } else {
      if (used + row.length + reserve > options.maxBlocks) break;
      flush();
      blocks.push(...row);
    }
  }
  flush();
  const hidden = (options.page ? options.page.total - options.page.before : items.length) - shown;
  if (hidden > 0) blocks.push(context(`…and ${hidden} more. ${options.moreLabel}`));
  return blocks;
}
