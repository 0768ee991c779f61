import { type CsvError, type Info, parse } from 'csv-parse/sync';
import { isAppError, type Problem } from './errors.js';
import { type Money, MoneyError, normalizeCurrency, parseMoney } from './money.js';
import { readDescription } from './text.js';

export interface BatchLine {
  /** 1-based line number in the input, where the row starts. */
  line: number;
  sellerRef: string;
  money: Money;
  description: string | null;
}

export interface BatchProblem {
  line: number;
  problem: Problem;
}

export interface SellerLookup {
  /** Resolves a ref to a seller, or undefined. */
  find(ref: SellerRef): { userId: string; accountId: string; payable: boolean } | undefined;
  /** The user a seller cell names in the chat's own syntax (a mention), or undefined: that syntax is the edge's. */
  mentionedUser(raw: string): string | undefined;
}

export interface BatchOptions {
  /** Currencies the platform holds a balance in; when absent the caller checks them later. */
  heldCurrencies?: ReadonlySet<string>;
  /** Default 50,000. */
  maxLines?: number;
}

/** How a line names its seller. */
export type SellerRef = { userId?: string; accountId?: string };

const DEFAULT_MAX_LINES = 50_000;

type BatchResult = { lines: (BatchLine & { userId: string; accountId: string })[]; problems: BatchProblem[] };
interface ParsedRows {
  records: { record: string[]; info: Info }[];
  /** Rows that are not valid CSV. */
  problems: BatchProblem[];
}

/**
 * Checks every line of a one-off CSV batch (`seller, amount, currency, description`) before anything is paid.
 * The batch may start only when `problems` is empty: that rule is the caller's.
 */
export function validateBatch(csvText: string, sellers: SellerLookup, options: BatchOptions = {}): BatchResult {
  return checkRows(parseRows(csvText), sellers, options);
}

/** The same checks for a batch of any size: the sellers its lines name are looked up together, before the lines are checked. */
export async function validateBatchLookingUp(
  csvText: string,
  mentionedUser: SellerLookup['mentionedUser'],
  lookUp: (refs: SellerRef[]) => Promise<Pick<SellerLookup, 'find'>>,
  options: BatchOptions = {},
): Promise<BatchResult> {
  const rows = parseRows(csvText);
  const refs = rows.records.flatMap(({ record }) => parseSellerRef(record[0] ?? '', mentionedUser) ?? []);
  const { find } = await lookUp(refs);
  return checkRows(rows, { find, mentionedUser }, options);
}

function parseRows(csvText: string): ParsedRows {
  const problems: BatchProblem[] = [];
  let previousEnd = 0;
  const records = parse(csvText, {
    bom: true,
    trim: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    info: true,
    on_skip: (error: CsvError | undefined) => {
      if (!error) return undefined;
      // An unclosed quote is only noticed at the end of the input, long after the row that opened it.
      const line =
        error.code !== 'CSV_QUOTE_NOT_CLOSED' && typeof error.lines === 'number'
          ? error.lines
          : firstFilledLineAfter(csvText, previousEnd);
      if (!problems.some((p) => p.line === line))
        problems.push({ line, problem: { code: 'line_not_csv', params: { csvCode: error.code } } });
      return undefined;
    },
    on_record: (record: string[], context: Info) => {
      previousEnd = context.lines;
      return record;
    },
  }) as unknown as { record: string[]; info: Info }[];
  return { records, problems };
}

function checkRows({ records, problems }: ParsedRows, sellers: SellerLookup, options: BatchOptions): BatchResult {
  const maxLines = options.maxLines ?? DEFAULT_MAX_LINES;
  const lines: BatchResult['lines'] = [];
  const seen = new Map<string, number>();

  let dataLines = 0;
  let firstRow = true;
  for (const { record, info } of records) {
    // info.lines is where the row ends; a quoted description may span several lines.
    const line = info.lines - record.reduce((n, field) => n + (field.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
    if (record.every((field) => field === '')) continue;
    const headerAllowed = firstRow;
    firstRow = false;
    if (headerAllowed && isHeader(record)) continue;

    dataLines++;
    if (dataLines > maxLines) {
      problems.push({ line, problem: { code: 'batch_too_long', params: { max: maxLines } } });
      break;
    }

    if (record.length < 3 || record.length > 4) {
      problems.push({ line, problem: { code: 'line_columns', params: { count: record.length } } });
      continue;
    }
    const [sellerRef = '', rawAmount = '', rawCurrency = '', rawDescription = ''] = record;
    const lineProblems: Problem[] = [];
    let description: string | null = null;
    try {
      description = readDescription(rawDescription);
    } catch (error) {
      if (!isAppError(error)) throw error;
      lineProblems.push(error.problem);
    }

    const money = checkMoney(rawAmount, rawCurrency, options.heldCurrencies);
    if ('code' in money) lineProblems.push(money);

    const ref = parseSellerRef(sellerRef, sellers.mentionedUser);
    const seller = ref ? sellers.find(ref) : undefined;
    if (!ref) lineProblems.push({ code: 'line_seller_ref', params: { ref: sellerRef } });
    else if (!seller) lineProblems.push({ code: 'line_seller_unknown', params: { ref: sellerRef } });
    else if (!seller.payable) lineProblems.push({ code: 'line_seller_not_payable', params: { ref: sellerRef } });

    if (lineProblems.length > 0 || 'code' in money || !seller) {
      for (const problem of lineProblems) problems.push({ line, problem });
      continue;
    }

    // The resolved seller, so a mention and an acct_ id for one person count as the same seller.
    const identity = JSON.stringify([seller.userId, money.amount, money.currency, description ?? '']);
    const first = seen.get(identity);
    if (first !== undefined) {
      problems.push({ line, problem: { code: 'line_repeats', params: { first } } });
      continue;
    }
    seen.set(identity, line);
    lines.push({ line, sellerRef, money, description, userId: seller.userId, accountId: seller.accountId });
  }

  problems.sort((a, b) => a.line - b.line);
  return { lines, problems };
}

function firstFilledLineAfter(text: string, line: number): number {
  const rest = text.split(/\r\n|\r|\n/).slice(line);
  const offset = rest.findIndex((l) => l.trim() !== '');
  return line + 1 + Math.max(offset, 0);
}

function isHeader(record: string[]): boolean {
  const names = record.map((field) => field.toLowerCase());
  return (
    names[0] === 'seller' &&
    names[1] === 'amount' &&
    names[2] === 'currency' &&
    (names[3] === undefined || names[3] === 'description')
  );
}

function parseSellerRef(raw: string, mentionedUser: SellerLookup['mentionedUser']): SellerRef | undefined {
  if (/^acct_[A-Za-z0-9]+$/.test(raw)) return { accountId: raw };
  if (/^[UW][A-Z0-9]{2,}$/.test(raw)) return { userId: raw };
  const mentioned = mentionedUser(raw);
  return mentioned ? { userId: mentioned } : undefined;
}

/** The line's money, or why it is not payable. */
function checkMoney(rawAmount: string, rawCurrency: string, held: ReadonlySet<string> | undefined): Money | Problem {
  try {
    const currency = normalizeCurrency(rawCurrency);
    const money = parseMoney(rawAmount, currency);
    if (held && !held.has(currency)) return { code: 'line_currency_not_held', params: { currency, held: [...held] } };
    return money;
  } catch (error) {
    if (error instanceof MoneyError) return error.problem;
    throw error;
  }
}
