import { paramError } from './errors.js';
import { type FormObject, type FormValue, formList, isFormObject } from './form.js';

export interface RangeFilter {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

/** Metadata as sent: `null` clears every key (`metadata=`), an empty value unsets one key. */
export type MetadataPatch = Record<string, string> | null;

const RANGE_KEYS = ['gt', 'gte', 'lt', 'lte'] as const;

/**
 * Typed, validating reader over decoded form params, with Stripe's error messages.
 * Constructing one rejects parameters the endpoint does not know, like Stripe does.
 */
export class Params {
  constructor(
    private readonly form: FormObject,
    allowed: readonly string[],
    private readonly prefix = '',
  ) {
    rejectUnknownParams(form, allowed, prefix);
  }

  name(key: string): string {
    return paramName(this.prefix, key);
  }

  has(key: string): boolean {
    return this.form[key] !== undefined;
  }

  string(key: string, options: { maxLength?: number } = {}): string | undefined {
    const value = this.form[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw paramError(`Invalid string: ${describe(value)}`, this.name(key));
    if (options.maxLength !== undefined && value.length > options.maxLength) {
      throw paramError(`Invalid ${this.name(key)}: must be at most ${options.maxLength} characters`, this.name(key));
    }
    return value;
  }

  requiredString(key: string, options: { maxLength?: number } = {}): string {
    const value = this.string(key, options);
    if (value === undefined || value === '') throw this.missing(key);
    return value;
  }

  integer(key: string, options: { min?: number; max?: number } = {}): number | undefined {
    const raw = this.string(key);
    if (raw === undefined) return undefined;
    if (!/^-?\d+$/.test(raw)) throw paramError(`Invalid integer: ${raw}`, this.name(key), 'parameter_invalid_integer');
    const value = Number(raw);
    if (!Number.isSafeInteger(value))
      throw paramError(`Invalid integer: ${raw}`, this.name(key), 'parameter_invalid_integer');
    if (options.min !== undefined && value < options.min) {
      throw paramError(`This value must be greater than or equal to ${options.min}.`, this.name(key));
    }
    if (options.max !== undefined && value > options.max) {
      throw paramError(`This value must be less than or equal to ${options.max}.`, this.name(key));
    }
    return value;
  }

  requiredInteger(key: string, options: { min?: number; max?: number } = {}): number {
    const value = this.integer(key, options);
    if (value === undefined) throw this.missing(key);
    return value;
  }

  boolean(key: string): boolean | undefined {
    const raw = this.string(key);
    if (raw === undefined) return undefined;
    if (raw !== 'true' && raw !== 'false') throw paramError(`Invalid boolean: ${raw}`, this.name(key));
    return raw === 'true';
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    const raw = this.string(key);
    if (raw === undefined) return undefined;
    if (!(values as readonly string[]).includes(raw)) {
      throw paramError(`Invalid ${this.name(key)}: must be one of ${values.join(', ')}`, this.name(key));
    }
    return raw as T;
  }

  requiredOneOf<T extends string>(key: string, values: readonly T[]): T {
    const value = this.oneOf(key, values);
    if (value === undefined) throw this.missing(key);
    return value;
  }

  url(key: string): string | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (!URL.canParse(value)) throw paramError('Not a valid URL', this.name(key), 'url_invalid');
    return value;
  }

  requiredUrl(key: string): string {
    const value = this.url(key);
    if (value === undefined || value === '') throw this.missing(key);
    return value;
  }

  object(key: string, allowed: readonly string[]): Params | undefined {
    const value = this.form[key];
    if (value === undefined) return undefined;
    if (!isFormObject(value)) throw paramError('Invalid object', this.name(key));
    return new Params(value, allowed, this.name(key));
  }

  /** Free-form nested hashes (`individual[...]`, `settings[...]`) accepted without deeper validation. */
  hash(key: string): FormObject | undefined {
    const value = this.form[key];
    if (value === undefined) return undefined;
    if (!isFormObject(value)) throw paramError('Invalid object', this.name(key));
    return value;
  }

  strings(key: string): string[] {
    const value = this.form[key];
    if (value === undefined) return [];
    return formList(value).map((item) => {
      if (typeof item !== 'string') throw paramError('Invalid array', this.name(key));
      return item;
    });
  }

  metadata(key = 'metadata'): MetadataPatch | undefined {
    const value = this.form[key];
    if (value === undefined) return undefined;
    if (value === '') return null;
    if (!isFormObject(value)) throw paramError('Invalid metadata', this.name(key));
    const patch: Record<string, string> = {};
    for (const [name, entry] of Object.entries(value)) {
      if (typeof entry !== 'string')
        throw paramError(`Invalid string: ${describe(entry)}`, `${this.name(key)}[${name}]`);
      if (name.length > 40)
        throw paramError('Metadata keys can have up to 40 characters', `${this.name(key)}[${name}]`);
      if (entry.length > 500)
        throw paramError('Metadata values can have up to 500 characters', `${this.name(key)}[${name}]`);
      patch[name] = entry;
    }
    if (Object.keys(patch).length > 50) throw paramError('Metadata can have up to 50 keys', this.name(key));
    return patch;
  }

  range(key: string): RangeFilter | undefined {
    const value = this.form[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string') {
      const exact = this.integer(key);
      return exact === undefined ? undefined : { gte: exact, lte: exact };
    }
    const nested = this.object(key, RANGE_KEYS);
    const filter: RangeFilter = {};
    for (const bound of RANGE_KEYS) {
      const limit = nested?.integer(bound);
      if (limit !== undefined) filter[bound] = limit;
    }
    return filter;
  }

  private missing(key: string) {
    return paramError(`Missing required param: ${this.name(key)}.`, this.name(key), 'parameter_missing');
  }
}

function paramName(prefix: string, key: string): string {
  return prefix ? `${prefix}[${key}]` : key;
}

/** Stripe refuses parameters an endpoint does not know; `expand` is accepted everywhere. */
export function rejectUnknownParams(form: FormObject, allowed: readonly string[] = [], prefix = ''): void {
  for (const key of Object.keys(form)) {
    if (key !== 'expand' && !allowed.includes(key)) {
      const name = paramName(prefix, key);
      throw paramError(`Received unknown parameter: ${name}`, name, 'parameter_unknown');
    }
  }
}

export function applyMetadata(
  current: Record<string, string>,
  patch: MetadataPatch | undefined,
): Record<string, string> {
  if (patch === undefined) return current;
  if (patch === null) return {};
  const next = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === '') delete next[key];
    else next[key] = value;
  }
  return next;
}

export function inRange(value: number, filter: RangeFilter | undefined): boolean {
  if (!filter) return true;
  return (
    (filter.gt === undefined || value > filter.gt) &&
    (filter.gte === undefined || value >= filter.gte) &&
    (filter.lt === undefined || value < filter.lt) &&
    (filter.lte === undefined || value <= filter.lte)
  );
}

function describe(value: FormValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
