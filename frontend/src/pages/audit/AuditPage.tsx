// The center's audit trail (newest first) and a check that the hash chain is intact.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Input, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { SafetyCertificateOutlined, VerifiedOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api } from '../../api';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { ScopeBanner, tenantPath, useApiError, usePaged, useTenant } from '../admin/shared';

interface AuditEvent {
  id: string;
  seq: number;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  details: Record<string, unknown>;
  requestId: string | null;
  createdAt: string;
  hash: string;
}

interface ChainStatus {
  ok: boolean;
  count: number;
  brokenAt: number | null;
  reason: string | null;
  keyed: boolean;
  headHash: string | null;
  missingFrom: number | null;
  missingTo: number | null;
  checkpointSeq: number | null;
}

interface CheckpointOut {
  status: 'written' | 'unchanged';
  seq: number;
  hash: string;
  at: string;
}

function statusText(t: ReturnType<typeof useI18n>['t'], s: ChainStatus): string {
  if (s.ok) return t('audit.ok', { n: s.count });
  const range = { from: s.missingFrom ?? '?', to: s.missingTo ?? '?' };
  if (s.reason === 'truncated') return t('audit.truncated', range);
  if (s.reason === 'missing_event') return t('audit.missing', range);
  if (s.reason === 'checkpoint_mismatch') return t('audit.checkpointMismatch', { seq: s.brokenAt ?? '?' });
  return t('audit.broken', { seq: s.brokenAt ?? '?', reason: s.reason ?? '' });
}

export default function AuditPage() {
  const { t } = useI18n();
  const tenant = useTenant();
  const { can } = useAuth();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const [anchoring, setAnchoring] = useState(false);
  const list = usePaged<AuditEvent>(tenant.id ? tenantPath(tenant.id, 'audit') : null, 50);
  const [status, setStatus] = useState<ChainStatus | null>(null);
  const [verifying, setVerifying] = useState(false);

  const columns: ColumnsType<AuditEvent> = [
    { title: t('audit.seq'), dataIndex: 'seq', width: 70 },
    { title: t('audit.time'), dataIndex: 'createdAt', width: 170, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss') },
    { title: t('audit.actor'), dataIndex: 'actorName', width: 140, render: (v: string | null) => v ?? '—' },
    { title: t('audit.action'), dataIndex: 'action', width: 170, render: (v: string) => <code data-testid="audit-action">{v}</code> },
    { title: t('audit.target'), key: 'target', width: 140, responsive: ['lg'], render: (_: unknown, e) => e.targetType },
    {
      title: t('audit.details'),
      dataIndex: 'details',
      render: (d: Record<string, unknown>) => (
        <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }}>
          {JSON.stringify(d)}
        </Typography.Text>
      ),
    },
  ];

  return (
    <div data-testid="page-audit">
      <ScopeBanner />
      <Card
        title={<span data-testid="page-title">{t('audit.title')}</span>}
        extra={
          <Space>
            {can('audit:checkpoint') && (
              <Button
                icon={<VerifiedOutlined />}
                loading={anchoring}
                data-testid="audit-checkpoint"
                onClick={async () => {
                  setAnchoring(true);
                  try {
                    const cp = await api.post<CheckpointOut>(tenantPath(tenant.id, 'audit/checkpoint'));
                    message.success(t(cp.status === 'written' ? 'audit.checkpointDone' : 'audit.checkpointUnchanged', { seq: cp.seq }));
                    list.reload();
                  } catch (err) {
                    onError(err);
                  } finally {
                    setAnchoring(false);
                  }
                }}
              >
                {t('audit.checkpoint')}
              </Button>
            )}
            <Button
              icon={<SafetyCertificateOutlined />}
              loading={verifying}
              data-testid="audit-verify"
              onClick={async () => {
                setVerifying(true);
                try {
                  setStatus(await api.get<ChainStatus>(tenantPath(tenant.id, 'audit/verify')));
                } catch (err) {
                  onError(err);
                } finally {
                  setVerifying(false);
                }
              }}
            >
              {t('audit.verify')}
            </Button>
          </Space>
        }
      >
        {status && (
          <Space direction="vertical" style={{ width: '100%', marginBottom: 12 }}>
            <Alert
              data-testid="audit-status"
              type={status.ok ? 'success' : 'error'}
              showIcon
              message={statusText(t, status)}
              description={
                <span data-testid="audit-anchor">
                  {status.checkpointSeq ? t('audit.anchored', { seq: status.checkpointSeq }) : t('audit.notAnchored')}
                </span>
              }
            />
            {!status.keyed && <Alert type="warning" showIcon message={t('audit.unkeyed')} />}
          </Space>
        )}
        <Input.Search allowClear placeholder={t('audit.searchPlaceholder')} onSearch={list.setSearch} style={{ width: 260, marginBottom: 12 }} />
        <Table<AuditEvent>
          rowKey="id"
          size="small"
          data-testid="audit-table"
          loading={list.loading}
          columns={columns}
          dataSource={list.items}
          scroll={{ x: 800 }}
          pagination={{
            current: list.page,
            pageSize: list.pageSize,
            total: list.total,
            onChange: list.setPage,
            showTotal: (n) => t('common.total', { n }),
            showSizeChanger: false,
          }}
        />
      </Card>
    </div>
  );
}
