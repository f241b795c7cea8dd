// The versions of a pack's settings at one tenant: effective date, status, who changed what.
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/query';
import type { HTMLAttributes } from 'react';
import { Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { pickText } from '../../api';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n';
import { ChangesTable } from './ChangesTable';
import type { Version } from './rulesApi';
import { rulesApi } from './rulesApi';

const STATUS_COLOR: Record<Version['status'], string> = { in_force: 'green', scheduled: 'gold', past: 'default' };

const NO_VERSIONS: Version[] = [];

export default function VersionHistory({
  tenantId,
  pack,
  tick,
  schema,
}: {
  tenantId: string;
  pack: string;
  tick: number;
  schema?: Record<string, unknown>;
}) {
  const { t, lang } = useI18n();
  // `tick` (a save) is part of the key: the list after a save is asked for anew
  const versions = useQuery({
    queryKey: keys.tenant(tenantId, 'packs', pack, 'versions', tick),
    queryFn: ({ signal }) => rulesApi.versions(tenantId, pack, signal),
    meta: { silent: true },
  });
  const rows: Version[] = versions.data ?? NO_VERSIONS;
  const loading = versions.isFetching;

  const columns: ColumnsType<Version> = [
    { title: t('rules.col.version'), dataIndex: 'version', width: 70 },
    { title: t('rules.col.effectiveFrom'), dataIndex: 'effectiveFrom', width: 120 },
    {
      title: t('rules.col.status'),
      key: 'status',
      width: 90,
      render: (_, v) => <Tag color={STATUS_COLOR[v.status]}>{t(`rules.status.${v.status}` as MessageKey)}</Tag>,
    },
    { title: t('rules.col.changedBy'), dataIndex: 'changedBy', width: 130 },
    {
      title: t('rules.col.packVersion'),
      key: 'packVersion',
      width: 110,
      responsive: ['md'],
      render: (_, v) => (
        <span data-testid={`version-pack-${v.version}`}>{v.packVersion ?? t('rules.packVersionUnknown')}</span>
      ),
    },
    {
      title: t('rules.col.changedAt'),
      key: 'changedAt',
      width: 150,
      render: (_, v) => (v.changedAt ? dayjs(v.changedAt).format('YYYY-MM-DD HH:mm') : ''),
    },
    {
      title: t('rules.col.changes'),
      key: 'changes',
      render: (_, v) => (
        <Space size={[4, 4]} wrap>
          {v.changes.map((c) => (
            <Tag key={c.field}>{pickText(c.title, lang)}</Tag>
          ))}
        </Space>
      ),
    },
    { title: t('rules.col.note'), dataIndex: 'note', width: 200, render: (n: string | null) => n ?? '' },
  ];

  return (
    <Table
      data-testid="version-history"
      size="small"
      rowKey="version"
      loading={loading}
      columns={columns}
      dataSource={rows}
      pagination={{ pageSize: 10, hideOnSinglePage: true }}
      scroll={{ x: 900 }}
      onRow={(v) => ({ 'data-testid': `version-${v.version}` }) as HTMLAttributes<HTMLElement>}
      expandable={{
        expandedRowRender: (v) =>
          v.changes.length ? (
            <ChangesTable changes={v.changes} schema={schema} />
          ) : (
            <Typography.Text type="secondary">—</Typography.Text>
          ),
      }}
    />
  );
}
