// The center's audit trail (newest first) and a check that the hash chain is intact.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Input, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { SafetyCertificateOutlined, VerifiedOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api } from '../../api';
import { useAuth } from '../../auth';
import { isMessageKey, useI18n } from '../../i18n';
import type { I18n } from '../../i18n';
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
  if (s.reason === 'checkpoint_missing') return t('audit.checkpointMissing', range);
  if (s.reason === 'invalid_seq') return t('audit.invalidSeq', { seq: s.brokenAt ?? '?' });
  if (s.reason === 'duplicate_seq') return t('audit.duplicateSeq', { seq: s.brokenAt ?? '?' });
  if (s.reason === 'count_mismatch') return t('audit.countMismatch', { seq: s.brokenAt ?? '?' });
  return t('audit.broken', { seq: s.brokenAt ?? '?', reason: s.reason ?? '' });
}

/** A reader's name for an action code (the code itself stays beside it: it is what the search matches). */
function actionLabel(t: I18n['t'], action: string): string | undefined {
  const whole = `audit.act.${action}`;
  if (isMessageKey(whole)) return t(whole);
  const [obj, verb] = action.split('.');
  const objKey = `audit.obj.${obj}`;
  const verbKey = `audit.verb.${verb}`;
  return isMessageKey(objKey) && isMessageKey(verbKey) ? t(verbKey, { obj: t(objKey) }) : undefined;
}

function targetLabel(t: I18n['t'], targetType: string): string {
  const key = `audit.obj.${targetType}`;
  return isMessageKey(key) ? t(key) : targetType;
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
    {
      title: t('audit.action'),
      dataIndex: 'action',
      width: 190,
      render: (v: string) => {
        const label = actionLabel(t, v);
        return (
          <Space direction="vertical" size={0} data-testid="audit-action">
            {label && <span>{label}</span>}
            <Typography.Text type="secondary" code style={{ fontSize: 11 }}>
              {v}
            </Typography.Text>
          </Space>
        );
      },
    },
    { title: t('audit.target'), key: 'target', width: 120, responsive: ['lg'], render: (_: unknown, e) => targetLabel(t, e.targetType) },
    {
      // one line here; the whole record opens below the row (a pack change can be a screen of JSON)
      title: t('audit.details'),
      dataIndex: 'details',
      ellipsis: true,
      render: (d: Record<string, unknown>) => (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
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
        <Input.Search allowClear placeholder={t('audit.searchHint')} onSearch={list.setSearch} style={{ width: 260, marginBottom: 12 }} />
        <Table<AuditEvent>
          rowKey="id"
          size="small"
          data-testid="audit-table"
          loading={list.loading}
          columns={columns}
          dataSource={list.items}
          scroll={{ x: 800 }}
          expandable={{
            rowExpandable: (e) => Object.keys(e.details ?? {}).length > 0,
            expandedRowRender: (e) => (
              <pre className="audit-details" data-testid="audit-details">
                {JSON.stringify(e.details, null, 2)}
              </pre>
            ),
          }}
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
