// Background jobs the user started in this center (issue 16): long exports and evaluations run off the request
// path; this page follows them (antd Progress, polled while any is queued or running) and downloads the results.
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Progress, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { call, client } from '../../api';
import type { Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { useTenant } from '../../tenant';
import { JobCount } from './JobProgress';

type Job = Schemas['JobOut'];

const STATE_COLOR: Record<string, string> = { queued: 'default', running: 'processing', done: 'success', failed: 'error' };

export function useJobs(tenantId: string) {
  return useQuery({
    queryKey: ['jobs', tenantId],
    queryFn: ({ signal }) => call(client.GET('/api/t/{tenant_id}/jobs', { params: { path: { tenant_id: tenantId } }, signal })),
    refetchInterval: (q) => (q.state.data?.some((j) => j.state === 'queued' || j.state === 'running') ? 1000 : false),
  });
}

export default function JobsPage() {
  const { t, lang } = useI18n();
  const tenant = useTenant();
  const jobs = useJobs(tenant.id);
  const en = lang === 'en';
  const columns: ColumnsType<Job> = [
    { title: t('jobs.kind'), dataIndex: 'titleZh', render: (_: string, j) => (en ? j.titleEn : j.titleZh) },
    {
      title: t('jobs.state'),
      dataIndex: 'state',
      width: 110,
      render: (s: string, j) => (
        <Tag color={STATE_COLOR[s]} data-testid={`job-state-${j.id}`}>
          {t(`jobs.state.${s}` as 'jobs.state.done')}
        </Tag>
      ),
    },
    {
      title: t('jobs.progress'),
      dataIndex: 'progress',
      width: 220,
      render: (p: number, j) => (
        <div data-testid={`job-progress-${j.id}`}>
          <Progress percent={p} size="small" status={j.state === 'failed' ? 'exception' : j.state === 'done' ? 'success' : 'active'} />
          <JobCount job={j} />
          {j.error ? <Typography.Text type="danger">{en ? j.error.en : j.error.zh}</Typography.Text> : null}
        </div>
      ),
    },
    { title: t('jobs.month'), key: 'month', width: 100, render: (_: unknown, j) => String(j.params.month || j.summary?.month || '') },
    { title: t('jobs.created'), dataIndex: 'createdAt', width: 150, render: (v: string) => dayjs(v).format('MM-DD HH:mm:ss') },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 140,
      render: (_: unknown, j) =>
        j.hasResult ? (
          <Button
            size="small"
            type="primary"
            icon={<DownloadOutlined />}
            href={`/api/t/${tenant.id}/jobs/${j.id}/result`}
            data-testid={`job-download-${j.id}`}
          >
            {t('jobs.download')}
          </Button>
        ) : j.state === 'done' && j.summary ? (
          <Typography.Text type="secondary">
            {j.summary.centers !== undefined ? t('jobs.centers', { n: String(j.summary.centers) })
              : j.summary.rows !== undefined ? t('jobs.rows', { n: String(j.summary.rows) })
                : t('jobs.staff', { n: String(j.summary.staff ?? '') })}
          </Typography.Text>
        ) : null,
    },
  ];
  return (
    <Card title={<span data-testid="page-title">{t('jobs.title')}</span>} data-testid="page-jobs">
      <Typography.Paragraph type="secondary">{t('jobs.intro')}</Typography.Paragraph>
      <Table<Job>
        rowKey="id"
        size="middle"
        loading={jobs.isPending}
        columns={columns}
        dataSource={jobs.data ?? []}
        pagination={false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('jobs.none')} /> }}
        data-testid="jobs-table"
        scroll={{ x: 720 }}
      />
    </Card>
  );
}
