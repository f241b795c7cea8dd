// A background job followed on the page that started it (issue 16): the request answered 409 use_background_job,
// the page started the job (useStartJob) and shows its progress here (done / total, polled each second while it is
// queued or running), its error, and its download when it leaves a file; the 后台任务 page lists it too.
import { useEffect, useRef } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Progress, Space, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { ApiError, call, client } from '../../api';
export { fetchDownload } from '../../api/download';
import type { Schemas } from '../../api';
import { useI18n } from '../../i18n';
import { useTenant } from '../../tenant';

export type Job = Schemas['JobOut'];

const STATE_COLOR: Record<string, string> = { queued: 'default', running: 'processing', done: 'success', failed: 'error' };

/** True when the server refused the request as too large for the request path (start the job instead). */
export function isUseBackgroundJob(err: unknown): err is ApiError {
  return err instanceof ApiError && err.code === 'use_background_job';
}

/** Starts a job of `kind` with `params` in the tenant (POST /jobs); resolves to the queued job. */
export function useStartJob(tenantId: string) {
  return useMutation({
    mutationFn: ({ kind, params }: { kind: string; params: Record<string, unknown> }) =>
      call(client.POST('/api/t/{tenant_id}/jobs', { params: { path: { tenant_id: tenantId } }, body: { kind, params } })),
  });
}

/** One job, polled each second while queued or running. */
export function useJob(tenantId: string, jobId: string | null) {
  return useQuery({
    queryKey: ['jobs', tenantId, 'one', jobId],
    queryFn: ({ signal }) =>
      call(client.GET('/api/t/{tenant_id}/jobs/{job_id}', { params: { path: { tenant_id: tenantId, job_id: jobId ?? '' } }, signal })),
    enabled: !!jobId,
    refetchInterval: (q) => (q.state.data && (q.state.data.state === 'done' || q.state.data.state === 'failed') ? false : 1000),
  });
}

/** The URL of a job's result file. */
export function jobResultUrl(tenantId: string, jobId: string): string {
  return `/api/t/${tenantId}/jobs/${jobId}/result`;
}

/** done / total of a job that counts its items, else nothing. */
export function JobCount({ job }: { job: Job }) {
  const { t } = useI18n();
  if (job.total === null || job.total === undefined) return null;
  return (
    <Typography.Text type="secondary" data-testid={`job-count-${job.id}`}>
      {t('jobs.count', { done: String(job.done ?? 0), total: String(job.total) })}
    </Typography.Text>
  );
}

/** The job started from this page: title, state, progress with done / total, its error or its download, and a
 * link to the jobs page. `onDone` runs once when it finishes (e.g. refresh the month, or read the result). */
export default function JobProgress({ jobId, onDone }: { jobId: string; onDone?: (job: Job) => void }) {
  const { t, lang } = useI18n();
  const tenant = useTenant();
  const answer = useJob(tenant.id, jobId);
  const job = answer.data;
  const reported = useRef<string | null>(null);
  useEffect(() => {
    if (job && (job.state === 'done' || job.state === 'failed') && reported.current !== job.id) {
      reported.current = job.id;
      if (job.state === 'done') onDone?.(job);
    }
  }, [job, onDone]);
  if (!job) return null;
  const en = lang === 'en';
  return (
    <Alert
      type={job.state === 'failed' ? 'error' : job.state === 'done' ? 'success' : 'info'}
      showIcon
      data-testid="job-inline"
      message={
        <Space wrap>
          <span>{en ? job.titleEn : job.titleZh}</span>
          <Tag color={STATE_COLOR[job.state]} data-testid="job-inline-state">
            {t(`jobs.state.${job.state}` as 'jobs.state.done')}
          </Tag>
        </Space>
      }
      description={
        <Space direction="vertical" style={{ width: '100%' }} size={4}>
          {job.state !== 'done' && job.state !== 'failed' ? <Typography.Text type="secondary">{t('jobs.startedHere')}</Typography.Text> : null}
          <div data-testid="job-inline-progress">
            <Progress
              percent={job.progress}
              size="small"
              status={job.state === 'failed' ? 'exception' : job.state === 'done' ? 'success' : 'active'}
            />
            <JobCount job={job} />
          </div>
          {job.error ? <Typography.Text type="danger" data-testid="job-inline-error">{en ? job.error.en : job.error.zh}</Typography.Text> : null}
          <Space wrap>
            {job.hasResult ? (
              <Button size="small" type="primary" icon={<DownloadOutlined />} href={jobResultUrl(tenant.id, job.id)} data-testid="job-inline-download">
                {t('jobs.download')}
              </Button>
            ) : null}
            <Link to={tenant.href('/jobs')} data-testid="job-inline-list">{t('jobs.openList')}</Link>
          </Space>
        </Space>
      }
    />
  );
}
