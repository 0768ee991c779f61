/**
 * Stripe's form encoding: `metadata[seller]=U1`, `capabilities[transfers][requested]=true`,
 * `expand[]=destination` (appends) and `items[0][price]=x` (indexed). Indexed keys stay object keys
 * here because `metadata[0]` is a legal metadata key; readers that expect a list use `formList`.
 */
export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

const UNSAFE_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

export function decodeForm(...sources: string[]): FormObject {
  const root: FormObject = {};
  for (const source of sources) {
    if (!source) continue;
    for (const pair of source.split('&')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      const key = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
      const value = decodeComponent(eq === -1 ? '' : pair.slice(eq + 1));
      const path = keyPath(key);
      if (path.some((segment) => UNSAFE_KEYS.has(segment))) continue;
      assign(root, path, value);
    }
  }
  return root;
}

function decodeComponent(raw: string): string {
  const spaced = raw.replaceAll('+', ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

function keyPath(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0 || !key.endsWith(']')) return [key];
  const path = [key.slice(0, open)];
  let position = open;
  while (position < key.length) {
    const close = key.indexOf(']', position);
    if (key[position] !== '[' || close === -1) return [key];
    path.push(key.slice(position + 1, close));
    position = close + 1;
  }
  return path;
}

function assign(root: FormObject, path: string[], value: string): void {
  let node: FormObject | FormValue[] = root;
  path.forEach((segment, index) => {
    const last = index === path.length - 1;
    if (Array.isArray(node)) {
      if (last) {
        node.push(value);
        return;
      }
      const child: FormObject = {};
      node.push(child);
      node = child;
      return;
    }
    if (last) {
      node[segment] = value;
      return;
    }
    const appends = path[index + 1] === '';
    const existing: FormValue | undefined = node[segment];
    if (appends ? Array.isArray(existing) : isFormObject(existing)) {
      node = existing as FormObject | FormValue[];
      return;
    }
    const child: FormObject | FormValue[] = appends ? [] : {};
    node[segment] = child;
    node = child;
  });
}

export function isFormObject(value: FormValue | undefined): value is FormObject {
  return typeof value === 'object' && !Array.isArray(value);
}

/** `a[]=x&a[]=y` and `a[0]=x&a[1]=y` both read as a list; a lone `a=x` reads as `[x]`. */
export function formList(value: FormValue): FormValue[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return [value];
  return Object.keys(value)
    .sort((a, b) => Number(a) - Number(b))
    .map((key) => value[key] as FormValue);
}

/** Order-independent rendering of decoded params, so an idempotent retry matches however its keys were ordered. */
export function canonicalForm(value: FormValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalForm).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalForm(value[key] as FormValue)}`).join(',')}}`;
}
