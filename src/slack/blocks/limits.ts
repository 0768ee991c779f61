/** The Block Kit limits the builders keep to (https://docs.slack.dev/reference/block-kit): every surface fits by construction. */
export const LIMITS = {
  messageBlocks: 50,
  sectionText: 3_000,
  fieldText: 2_000,
  sectionFields: 10,
  headerText: 150,
  contextElements: 10,
  buttonText: 75,
  optionText: 75,
  /** Options an external_select's block_suggestion may return. */
  externalSelectOptions: 100,
  /** Not Slack's: one row of a list stays a line or two, so a long description cannot crowd out the others. */
  listRow: 300,
} as const;

/**
 * The one way free text is cut to a limit: it ends with "…", and never splits a surrogate pair, a Slack entity
 * (`<@U123>`, `<!date^…>`) or an escape (`&amp;`), which Slack would show raw or refuse.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  const open = cut.lastIndexOf('<');
  if (open > cut.lastIndexOf('>')) cut = cut.slice(0, open);
  const amp = cut.lastIndexOf('&');
  if (amp > cut.lastIndexOf(';') && cut.length - amp < '&amp;'.length) cut = cut.slice(0, amp);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}
