// Changes of a pack's settings, leaf by leaf: the diff before saving and each version's changes.
import { Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { pickText } from '../../api';
import type { LocalizedText } from '../../api';
import { useI18n } from '../../i18n';
import { brief, leaves, pathLabel } from './diff';

export interface ChangeLike {
  field: string;
  title: LocalizedText;
  before?: unknown;
  after?: unknown;
  beforeInherited?: boolean;
  afterInherited?: boolean;
}

interface Row {
  key: string;
  label: string;
  before: string;
  after: string;
  tags?: { before?: string; after?: string };
}

export function ChangesTable({
  changes,
  schema,
  testId,
}: {
  changes: ChangeLike[];
  schema?: Record<string, unknown>;
  testId?: string;
}) {
  const { t, lang } = useI18n();
  const rows: Row[] = [];
  for (const c of changes) {
    const title = pickText(c.title, lang) ?? c.field;
    if (c.field === '@enabled') {
      rows.push({ key: c.field, label: title, before: c.before ? '✓' : '✗', after: c.after ? '✓' : '✗' });
      continue;
    }
    if (c.field === '@locks') {
      const props = (schema?.properties ?? {}) as Record<string, { title?: string }>;
      const names = (v: unknown) =>
        Array.isArray(v) && v.length ? v.map((n: string) => props[n]?.title ?? n).join('、') : '—';
      rows.push({ key: c.field, label: title, before: names(c.before), after: names(c.after) });
      continue;
    }
    const tags = {
      before: c.beforeInherited ? t('rules.state.inherited') : undefined,
      after: c.afterInherited ? t('rules.state.inherited') : undefined,
    };
    const inheritedText = t('rules.diff.inherited');
    if (c.before === null || c.before === undefined || c.after === null || c.after === undefined || !schema) {
      rows.push({
        key: c.field,
        label: title,
        before: c.before === null || c.before === undefined ? inheritedText : brief(c.before),
        after: c.after === null || c.after === undefined ? inheritedText : brief(c.after),
        tags,
      });
      continue;
    }
    const diffs = leaves(c.before, c.after);
    if (!diffs.length) {
      rows.push({ key: c.field, label: title, before: brief(c.before), after: brief(c.after), tags });
      continue;
    }
    diffs.forEach((d, i) =>
      rows.push({
        key: `${c.field}/${d.path.join('.')}/${i}`,
        label: pathLabel(schema, [c.field, ...d.path], lang),
        before: brief(d.before),
        after: brief(d.after),
        tags: i === 0 ? tags : undefined,
      }),
    );
  }
  const columns: ColumnsType<Row> = [
    { title: t('rules.diff.field'), dataIndex: 'label', width: '40%' },
    {
      title: t('rules.diff.before'),
      key: 'before',
      render: (_, r) => (
        <>
          <span className="rules-value">{r.before}</span>
          {r.tags?.before ? <Tag style={{ marginLeft: 6 }}>{r.tags.before}</Tag> : null}
        </>
      ),
    },
    {
      title: t('rules.diff.after'),
      key: 'after',
      render: (_, r) => (
        <>
          <b className="rules-value">{r.after}</b>
          {r.tags?.after ? <Tag style={{ marginLeft: 6 }}>{r.tags.after}</Tag> : null}
        </>
      ),
    },
  ];
  return <Table data-testid={testId} size="small" rowKey="key" pagination={false} columns={columns} dataSource={rows} />;
}
