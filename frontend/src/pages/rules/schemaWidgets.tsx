// Widgets and templates the rules forms pick from the pack's JSON Schema (issue 13: forms an office worker can
// fill). A pack asks for them with `x-...` keys in its settings (govhall.packs.label(x=...)), never with a
// hand-written form:
//   x-widget: time        a time field that takes "8:30" as well as "08:30", with a picker
//   x-widget: code        an internal code: generated (fillCodes), never shown (entries are known by their names)
//   x-widget: ref / refs  one (several) entries of another list of the form, chosen by name (x-ref, x-label-field)
//   x-widget: group       a shared group of entries of another list (x-ref), shown by the names of its members
//                         (an entry's group is its own `ladder_group`, else its key); empty: on its own
//   x-add / x-add-en      on a list: what its add button adds ("添加扣分项")
//   x-label-field         on a list of entries: the field that names an entry (long lists collapse and filter)
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { Button, Collapse, Empty, Input, Select, Space, TimePicker, Typography } from 'antd';
import { ClockCircleOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type {
  ArrayFieldTemplateProps,
  IconButtonProps,
  RJSFSchema,
  UiSchema,
  WidgetProps,
} from '@rjsf/utils';
import dayjs from 'dayjs';
import { useI18n } from '../../i18n';

type Schema = Record<string, unknown>;
const LONG_LIST = 8;

function resolve(node: Schema, root: Schema): Schema {
  const ref = node.$ref as string | undefined;
  if (!ref) return node;
  const name = ref.split('/').pop() as string;
  const defs = (root.$defs ?? {}) as Record<string, Schema>;
  return { ...(defs[name] ?? {}), ...node, $ref: undefined };
}

/** The uiSchema a pack's schema asks for with its `x-...` keys (merged under the pack's own ui_schema). */
export function uiFromSchema(schema: Schema, lang: string): UiSchema {
  const en = lang === 'en';
  const walk = (raw: Schema, depth: number): UiSchema => {
    const node = resolve(raw, schema);
    const ui: UiSchema = {};
    const widget = node['x-widget'] as string | undefined;
    const options: Record<string, string | number | boolean | object | null | undefined> = {};
    if (widget) ui['ui:widget'] = widget === 'code' ? 'hidden' : widget;
    if (widget === 'ref' || widget === 'refs' || widget === 'group') {
      options.ref = node['x-ref'] as string;
      options.labelField = (node['x-label-field'] as string) ?? 'name';
    }
    if (node.type === 'array' && widget !== 'refs') {
      const title = (node.title as string | undefined) ?? '';
      options.addLabel = ((en ? node['x-add-en'] : node['x-add']) as string | undefined) ?? (en ? `Add: ${title}` : `添加${title}`);
      if (node['x-label-field']) {
        options.labelField = node['x-label-field'] as string;
        ui['ui:ArrayFieldTemplate'] = ListTemplate;
      }
      if (node.items && depth < 8) ui.items = walk(node.items as Schema, depth + 1);
    }
    if (node.properties && depth < 8) {
      for (const [k, v] of Object.entries(node.properties as Record<string, Schema>)) {
        const sub = walk(v, depth + 1);
        if (Object.keys(sub).length) ui[k] = sub;
      }
    }
    if (Object.keys(options).length) ui['ui:options'] = options;
    return ui;
  };
  const out = walk(schema, 0);
  delete out['ui:widget'];
  delete out['ui:options'];
  return out;
}

/** Deep merge of uiSchemas: `b`'s keys win, objects merge. */
export function mergeUi(a: UiSchema, b: UiSchema): UiSchema {
  const out: UiSchema = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = prev && typeof prev === 'object' && v && typeof v === 'object' && !Array.isArray(v) && typeof v !== 'function'
      ? mergeUi(prev as UiSchema, v as UiSchema)
      : v;
  }
  return out;
}

/** "8:30", "830", "8.30", "08：30" -> "08:30"; anything else as typed (the schema's pattern then speaks). */
export function normalizeTime(text: string): string {
  const t = text.trim().replace(/[：.。]/g, ':');
  const m = /^(\d{1,2}):?(\d{2})$/.exec(t);
  if (!m) return text;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return text;
  return `${String(h).padStart(2, '0')}:${m[2]}`;
}

function TimeWidget(props: WidgetProps) {
  const { id, value, disabled, readonly, onChange, onBlur, onFocus, placeholder } = props;
  const [open, setOpen] = useState(false);
  const [text, setText] = useState<string>(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  const parsed = typeof value === 'string' && /^\d{2}:\d{2}$/.test(value) ? dayjs(`2000-01-01T${value}`) : null;
  return (
    <Space.Compact style={{ width: '100%' }}>
      <Input
        id={id}
        value={text}
        disabled={disabled || readonly}
        placeholder={placeholder || '08:30'}
        onChange={(e) => {
          setText(e.target.value);
          const norm = normalizeTime(e.target.value);
          onChange(norm === '' ? undefined : norm);
        }}
        onBlur={() => {
          const norm = normalizeTime(text);
          setText(norm);
          onBlur(id, norm);
        }}
        onFocus={() => onFocus(id, value)}
      />
      <TimePicker
        open={open}
        onOpenChange={setOpen}
        value={parsed}
        format="HH:mm"
        minuteStep={5}
        showNow={false}
        needConfirm
        disabled={disabled || readonly}
        onChange={(d) => d && onChange(d.format('HH:mm'))}
        allowClear={false}
        className="rules-time-picker"
        data-testid={`${id}-picker`}
        suffixIcon={<ClockCircleOutlined />}
        inputReadOnly
        variant="outlined"
        placeholder=""
      />
    </Space.Compact>
  );
}

function newCode(): string {
  return `k${Date.now().toString(36).slice(-5)}${Math.random().toString(36).slice(2, 6)}`;
}

/** The form's values with an internal code generated wherever the schema has an `x-widget: code` field left
 * empty (a new entry): the person names the entry, the code is the system's. Returns the same object when
 * nothing was missing. */
export function fillCodes<T>(schema: Schema, value: T, node: Schema = schema, depth = 0): T {
  const n = resolve(node, schema);
  if (depth > 8 || value === null || value === undefined) return value;
  if (n.type === 'array' && Array.isArray(value) && n.items) {
    let changed = false;
    const out = value.map((v) => {
      const next = fillCodes(schema, v, n.items as Schema, depth + 1);
      if (next !== v) changed = true;
      return next;
    });
    return (changed ? out : value) as T;
  }
  if (n.properties && typeof value === 'object' && !Array.isArray(value)) {
    let out: Record<string, unknown> | null = null;
    for (const [k, sub] of Object.entries(n.properties as Record<string, Schema>)) {
      const s = resolve(sub, schema);
      const cur = (value as Record<string, unknown>)[k];
      const next = s['x-widget'] === 'code' && !cur ? newCode() : fillCodes(schema, cur, sub, depth + 1);
      if (next !== cur) {
        out = out ?? { ...(value as Record<string, unknown>) };
        out[k] = next;
      }
    }
    return (out ?? value) as T;
  }
  return value;
}

type Entry = Record<string, unknown>;

function useEntries(props: WidgetProps): { value: string; label: string }[] {
  const { options, formContext } = props;
  const { lang } = useI18n();
  const list = ((formContext?.formData ?? {}) as Record<string, unknown>)[options.ref as string] as Entry[] | undefined;
  const field = (options.labelField as string) ?? 'name';
  return useMemo(
    () =>
      (list ?? [])
        .filter((e) => e && typeof e.key === 'string' && e.key)
        .map((e) => ({
          value: e.key as string,
          label: String((lang === 'en' && e[`${field}_en`]) || e[field] || e.key),
        })),
    [list, field, lang],
  );
}

/** One entry of another list of the form (a violation's category), chosen by its name. */
function RefWidget(props: WidgetProps) {
  const { id, value, disabled, readonly, onChange } = props;
  const choices = useEntries(props);
  return (
    <Select id={id} value={value || undefined} disabled={disabled || readonly} showSearch optionFilterProp="label"
      options={choices} onChange={(v) => onChange(v)} style={{ width: '100%' }} />
  );
}

/** Several entries of another list of the form, chosen by name. */
function RefsWidget(props: WidgetProps) {
  const { id, value, disabled, readonly, onChange } = props;
  const choices = useEntries(props);
  return (
    <Select id={id} mode="multiple" value={(value as string[]) ?? []} disabled={disabled || readonly}
      optionFilterProp="label" options={choices} onChange={(v) => onChange(v)} style={{ width: '100%' }} />
  );
}

/** The group an entry shares a count with (a violation's 合并计次组), chosen by the names of the group's members:
 * "迟到、早退" rather than a code; empty: counted on its own. */
function GroupWidget(props: WidgetProps) {
  const { id, value, disabled, readonly, onChange, options, formContext } = props;
  const { lang } = useI18n();
  const en = lang === 'en';
  const list = ((formContext?.formData ?? {}) as Record<string, unknown>)[options.ref as string] as Entry[] | undefined;
  const field = (options.labelField as string) ?? 'name';
  const choices = useMemo(() => {
    const groups = new Map<string, string[]>();
    for (const e of list ?? []) {
      if (!e || typeof e.key !== 'string' || !e.key) continue;
      const group = (typeof e.ladder_group === 'string' && e.ladder_group) || e.key;
      const name = String((en && e[`${field}_en`]) || e[field] || e.key);
      groups.set(group, [...(groups.get(group) ?? []), name]);
    }
    const out = [{ value: '', label: en ? '(counted on its own)' : '（单独计次）' }];
    for (const [group, names] of groups) out.push({ value: group, label: names.join(en ? ', ' : '、') });
    if (value && !groups.has(value)) out.push({ value, label: String(value) });
    return out;
  }, [list, field, en, value]);
  return (
    <Select id={id} value={value ?? ''} disabled={disabled || readonly} showSearch optionFilterProp="label"
      options={choices} onChange={(v) => onChange(v)} style={{ width: '100%' }} data-testid={`${id}-group`} />
  );
}

export const SCHEMA_WIDGETS = { time: TimeWidget, ref: RefWidget, refs: RefsWidget, group: GroupWidget };

/** Every add button says what it adds (the list's `x-add`, else "添加" + the list's title). */
export function AddButton(props: IconButtonProps) {
  const { uiSchema, registry: _registry, iconType: _icon, ...rest } = props;
  const { t } = useI18n();
  const label = (uiSchema?.['ui:options']?.addLabel as string | undefined) ?? t('rules.addItem');
  return (
    <Button type="dashed" icon={<PlusOutlined />} {...(rest as object)} data-testid="array-add">
      {label}
    </Button>
  );
}

/** A list of named entries (violations, categories, sessions): each entry folds under its name; long lists get
 * a filter box; the add button says what it adds. */
function ListTemplate(props: ArrayFieldTemplateProps) {
  const { items, canAdd, onAddClick, uiSchema, formData, disabled, readonly, idSchema, title, schema } = props;
  const { t, lang } = useI18n();
  const [filter, setFilter] = useState('');
  // short lists (two sessions, five categories) open; long ones (fifty violations) fold under their names
  const [open, setOpen] = useState<string[]>(() => (items.length <= LONG_LIST ? items.map((it) => String(it.key)) : []));
  const field = (uiSchema?.['ui:options']?.labelField as string | undefined) ?? 'name';
  const addLabel = (uiSchema?.['ui:options']?.addLabel as string | undefined) ?? t('rules.addItem');
  const entries = (formData ?? []) as Entry[];
  const nameOf = (i: number): string => {
    const e = entries[i] ?? {};
    return String((lang === 'en' && e[`${field}_en`]) || e[field] || t('rules.unnamed'));
  };
  const count = useRef(items.length);
  useEffect(() => {
    // a new entry opens at once (the others stay folded)
    if (items.length > count.current && items.length) setOpen((prev) => [...prev, String(items[items.length - 1].key)]);
    count.current = items.length;
  }, [items]);
  const long = items.length > LONG_LIST;
  const shown = items.filter((it) => !filter || nameOf(it.index).includes(filter.trim()));
  const panels = shown.map((it) => ({
    key: String(it.key),
    label: <span data-testid="list-entry-name">{nameOf(it.index)}</span>,
    extra: it.hasRemove && !disabled && !readonly ? (
      <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('rules.removeEntry')}
        onClick={(e) => { e.stopPropagation(); it.onDropIndexClick(it.index)(); }} />
    ) : null,
    children: it.children as ReactNode,
  }));
  return (
    <div className="rules-list" data-testid={`list-${idSchema.$id}`}>
      {title && (
        <div style={{ marginBottom: 4 }}>
          <Typography.Text strong>{title}</Typography.Text>
          {schema.description && (
            <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>{schema.description}</Typography.Text>
          )}
        </div>
      )}
      <Space wrap style={{ marginBottom: 8 }}>
        {long && (
          <Input.Search allowClear placeholder={t('rules.filterList')} value={filter} style={{ width: 220 }}
            onChange={(e) => setFilter(e.target.value)} data-testid="list-filter" />
        )}
        <Typography.Text type="secondary">{t('rules.listCount', { n: items.length })}</Typography.Text>
      </Space>
      {panels.length ? (
        <Collapse size="small" activeKey={open} onChange={(k) => setOpen(k as string[])} items={panels} />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
      )}
      {canAdd && !disabled && !readonly && (
        <Button type="dashed" icon={<PlusOutlined />} style={{ marginTop: 8 }} data-testid="array-add"
          onClick={(e) => {
            onAddClick(e);
            setFilter('');
          }}>
          {addLabel}
        </Button>
      )}
    </div>
  );
}

export type { RJSFSchema };
