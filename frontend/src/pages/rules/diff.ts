// Field-level diffs for people: only the leaves that changed ("着装季节 › 第 1 项 › 结束（月-日，含）: 10-31 → 09-30"),
// labelled with the titles of the pack's JSON Schema.
import type { Lang } from '../../i18n';
import { sameValue } from './rulesApi';

type Schema = Record<string, unknown>;

export interface Leaf {
  path: string[];
  before: unknown;
  after: unknown;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

export function leaves(before: unknown, after: unknown, path: string[] = []): Leaf[] {
  if (sameValue(before, after)) return [];
  if (Array.isArray(before) && Array.isArray(after)) {
    const out: Leaf[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) out.push(...leaves(before[i], after[i], [...path, String(i)]));
    return out;
  }
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => leaves(before[k], after[k], [...path, k]));
  }
  return [{ path, before, after }];
}

function resolve(schema: Schema | undefined, root: Schema): Schema | undefined {
  let s = schema;
  for (let guard = 0; s && typeof s.$ref === 'string' && guard < 10; guard++) {
    const ref = (s.$ref as string).replace(/^#\//, '').split('/');
    let node: unknown = root;
    for (const part of ref) node = isObj(node) ? node[part] : undefined;
    s = node as Schema | undefined;
  }
  return s;
}

/** Titles along a path: object keys by their schema title, array positions as "第 n 项" / "#n". */
export function pathLabel(root: Schema, path: string[], lang: Lang): string {
  const parts: string[] = [];
  let schema: Schema | undefined = root;
  for (const part of path) {
    schema = resolve(schema, root);
    if (/^\d+$/.test(part) && schema?.type === 'array') {
      parts.push(lang === 'en' ? `#${Number(part) + 1}` : `第 ${Number(part) + 1} 项`);
      schema = schema.items as Schema | undefined;
    } else {
      const props = schema?.properties as Record<string, Schema> | undefined;
      const next = resolve(props?.[part], root);
      parts.push((next?.title as string) || part);
      schema = next;
    }
  }
  return parts.join(' › ');
}

/** A value in one line: primitives as they are, objects as their short values, lists joined. */
export function brief(value: unknown, schema?: Schema, root?: Schema): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? '✓' : '✗';
  if (Array.isArray(value)) return value.map((v) => brief(v)).join('、');
  if (isObj(value)) {
    void schema;
    void root;
    return Object.values(value)
      .filter((v) => v !== '' && v !== null && v !== undefined)
      .map((v) => brief(v))
      .join(' · ');
  }
  return String(value);
}
