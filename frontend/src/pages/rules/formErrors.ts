// Form errors in the user's language: the browser-side JSON Schema checks (ajv) and the server's field errors
// (paths such as "weekly_sessions[0].start") turned into react-jsonschema-form's error schema.
import type { ErrorSchema, RJSFValidationError } from '@rjsf/utils';
import type { FieldError } from '../../api';
import { pickText } from '../../api';
import type { I18n, Lang } from '../../i18n';

const TIME_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]$';
const MONTH_DAY_PATTERN = '^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$';

export function localizeErrors(t: I18n['t']) {
  return (errors: RJSFValidationError[]): RJSFValidationError[] =>
    errors.map((e) => {
      const p = (e.params ?? {}) as Record<string, unknown>;
      const n = String(p.limit ?? p.multipleOf ?? '');
      let message: string | undefined;
      switch (e.name) {
        case 'required':
          message = t('rules.err.required');
          break;
        case 'pattern':
          message =
            p.pattern === TIME_PATTERN
              ? t('rules.err.time')
              : p.pattern === MONTH_DAY_PATTERN
                ? t('rules.err.monthDay')
                : t('rules.err.pattern');
          break;
        case 'minimum':
          message = t('rules.err.minimum', { n });
          break;
        case 'maximum':
          message = t('rules.err.maximum', { n });
          break;
        case 'exclusiveMinimum':
          message = t('rules.err.exclusiveMinimum', { n });
          break;
        case 'minItems':
          message = t('rules.err.minItems', { n });
          break;
        case 'maxItems':
          message = t('rules.err.maxItems', { n });
          break;
        case 'minLength':
          message = t('rules.err.minLength');
          break;
        case 'maxLength':
          message = t('rules.err.maxLength', { n });
          break;
        case 'type':
          message = t('rules.err.type');
          break;
        case 'enum':
        case 'const':
        case 'oneOf':
          message = t('rules.err.enum');
          break;
        case 'uniqueItems':
          message = t('rules.err.uniqueItems');
          break;
        case 'multipleOf':
          message = t('rules.err.multipleOf', { n });
          break;
        case 'format':
          message = t('rules.err.format');
          break;
      }
      return message ? { ...e, message, stack: `${e.property ?? ''} ${message}` } : e;
    });
}

/** "weekly_sessions[0].start" -> ["weekly_sessions", "0", "start"] */
export function splitPath(path: string): string[] {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean);
}

/** The server's field errors as rjsf ``extraErrors`` (shown inline under each field). */
export function serverErrorSchema(fields: FieldError[], lang: Lang, known: Set<string>): ErrorSchema {
  const root: Record<string, unknown> = {};
  for (const f of fields) {
    const parts = splitPath(f.field);
    if (!parts.length || !known.has(parts[0])) continue;
    let node = root;
    for (const part of parts) {
      node[part] = (node[part] as Record<string, unknown>) ?? {};
      node = node[part] as Record<string, unknown>;
    }
    const list = ((node.__errors as string[]) ??= []);
    list.push(pickText(f.message, lang) ?? '');
  }
  return root as ErrorSchema;
}
