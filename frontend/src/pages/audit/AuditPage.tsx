// The center's audit trail (newest first) and a check that the hash chain is intact.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, DatePicker, Descriptions, Input, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DownloadOutlined, SafetyCertificateOutlined, VerifiedOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { call, client } from '../../api';
import type { Schemas } from '../../api';
import { keys } from '../../api/query';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { ScopeBanner, tenantPath, useApiError, usePaged, useTenant } from '../admin/shared';
import JobProgress, { fetchDownload, isUseBackgroundJob, useStartJob } from '../jobs/JobProgress';

type AuditEvent = Schemas['AuditEventView'];

type AuditFacets = Schemas['AuditFacets'];

type ChainStatus = Schemas['ChainStatus'];

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

export default function AuditPage() {
  const { t, lang } = useI18n();
  const en = lang === 'en';
  const tenant = useTenant();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [actorId, setActorId] = useState<string | undefined>();
  const [action, setAction] = useState<string | undefined>();
  const facetsQuery = useQuery({
    queryKey: keys.tenant(tenant.id, 'audit', 'facets'),
    queryFn: ({ signal }) =>
      call(client.GET('/api/t/{tenant_id}/audit/facets', { params: { path: { tenant_id: tenant.id } }, signal })),
    enabled: !!tenant.id,
  });
  const facets: AuditFacets = facetsQuery.data ?? { actors: [], actions: [] };
  const filters = {
    actorId,
    action,
    from: range?.[0]?.format('YYYY-MM-DD'),
    to: range?.[1]?.format('YYYY-MM-DD'),
  };
  const { can } = useAuth();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const [anchoring, setAnchoring] = useState(false);
  const list = usePaged('/api/t/{tenant_id}/audit', tenant.id, 50, filters);
  const exportUrl = () => {
    const q = new URLSearchParams({ lang: en ? 'en' : 'zh' });
    if (list.search) q.set('searchString', list.search);
    for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
    return `${tenantPath(tenant.id, 'audit/export.xlsx')}?${q}`;
  };
  const [status, setStatus] = useState<ChainStatus | null>(null);
  const [verifying, setVerifying] = useState(false);
  // the export: a file at once, or (over the server's limit: 409 use_background_job) the job audit.export_xlsx with
  // the same filters, followed below the toolbar with its download
  const startJob = useStartJob(tenant.id);
  const [exportJob, setExportJob] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const exportAudit = async () => {
    setExporting(true);
    try {
      try {
        await fetchDownload(exportUrl(), en ? 'audit-log.xlsx' : '审计日志.xlsx');
        return;
      } catch (err) {
        if (!isUseBackgroundJob(err)) throw err;
      }
      const params: Record<string, unknown> = { lang: en ? 'en' : 'zh' };
      if (list.search) params.searchString = list.search;
      for (const [k, v] of Object.entries(filters)) if (v) params[k] = k === 'action' ? [v] : v;
      setExportJob((await startJob.mutateAsync({ kind: 'audit.export_xlsx', params })).id);
    } catch (err) {
      onError(err);
    } finally {
      setExporting(false);
    }
  };

  const columns: ColumnsType<AuditEvent> = [
    { title: t('audit.seq'), dataIndex: 'seq', width: 70 },
    { title: t('audit.time'), dataIndex: 'createdAt', width: 170, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss') },
    {
      title: t('audit.actor'),
      key: 'actor',
      width: 140,
      render: (_: unknown, e) => (
        <Space direction="vertical" size={0} data-testid="audit-actor">
          <span>{e.actorDisplay ?? e.actorName ?? t('audit.system')}</span>
          {e.actorDisplay && e.actorName && (
            <Typography.Text type="secondary" style={{ fontSize: 11 }}>
              {e.actorName}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      width: 170,
      render: (_: string, e) => <span data-testid="audit-action">{en ? e.actionLabelEn : e.actionLabel}</span>,
    },
    {
      title: t('audit.target'),
      key: 'target',
      width: 150,
      responsive: ['lg'],
      render: (_: unknown, e) => (
        <span>
          {en ? e.targetLabelEn : e.targetLabel}
          {e.targetDisplay ? `：${e.targetDisplay}` : ''}
        </span>
      ),
    },
    {
      // one line here; the whole record opens below the row as labelled fields
      title: t('audit.details'),
      key: 'details',
      ellipsis: true,
      render: (_: unknown, e) => (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {(e.fields ?? []).map((f) => `${en ? f.labelEn : f.label}${en ? ': ' : '：'}${f.value}`).join(en ? '; ' : '；')}
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
                    const cp = await call(client.POST('/api/t/{tenant_id}/audit/checkpoint', {
                      params: { path: { tenant_id: tenant.id } } }));
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
                  setStatus(await call(client.GET('/api/t/{tenant_id}/audit/verify', {
                    params: { path: { tenant_id: tenant.id } } })));
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
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search allowClear placeholder={t('audit.searchHint')} onSearch={list.setSearch} style={{ width: 240 }}
            data-testid="audit-search" />
          <DatePicker.RangePicker value={range} data-testid="audit-range"
            onChange={(v) => { list.setPage(1); setRange(v as [Dayjs | null, Dayjs | null] | null); }} />
          <Select allowClear showSearch optionFilterProp="label" placeholder={t('audit.person')} style={{ width: 180 }}
            data-testid="audit-person" value={actorId}
            onChange={(v) => { list.setPage(1); setActorId(v); }}
            options={facets.actors.map((a) => ({ value: a.id, label: a.username ? `${a.name}（${a.username}）` : a.name }))} />
          <Select allowClear showSearch optionFilterProp="label" placeholder={t('audit.actionFilter')} style={{ width: 180 }}
            data-testid="audit-action-filter" value={action}
            onChange={(v) => { list.setPage(1); setAction(v); }}
            options={facets.actions.map((a) => ({ value: a.code, label: en ? a.labelEn : a.label }))} />
          <Button icon={<DownloadOutlined />} onClick={() => void exportAudit()} loading={exporting} data-testid="audit-export">
            {t('audit.export')}
          </Button>
        </Space>
        {exportJob ? <div style={{ marginBottom: 12 }}><JobProgress jobId={exportJob} /></div> : null}
        <Table<AuditEvent>
          rowKey="id"
          size="small"
          data-testid="audit-table"
          loading={list.loading}
          columns={columns}
          dataSource={list.items}
          scroll={{ x: 800 }}
          expandable={{
            rowExpandable: (e) => (e.fields ?? []).length > 0,
            expandedRowRender: (e) => (
              <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered data-testid="audit-details"
                items={(e.fields ?? []).map((f) => ({
                  key: f.key,
                  label: en ? f.labelEn : f.label,
                  children: <span style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{f.value}</span>,
                }))} />
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
