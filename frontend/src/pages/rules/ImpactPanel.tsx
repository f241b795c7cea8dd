// 对上月的影响: the pending change re-evaluated over a past month in memory (POST .../packs/{pack}/impact), person by
// person against the rules in force, before anything is saved.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, DatePicker, Segmented, Space, Spin, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { ApiError, call, client } from '../../api';
import type { Schemas } from '../../api';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n';
import type { SaveBody } from './rulesApi';
import JobProgress, { isUseBackgroundJob, useStartJob } from '../jobs/JobProgress';

const MEASURES = ['late_count', 'early_count', 'missed_punches', 'total_absence_half_days', 'on_time_days'] as const;
type Measure = (typeof MEASURES)[number];

type Person = Schemas['PersonOut'];
export type ImpactResult = Schemas['ImpactOut'];
type CenterImpact = Schemas['CenterImpactOut'];
type DayChange = Schemas['DayChangeOut'];

/** The province-level preview's time budget (the server refuses more than 60 s). */
const SUBTREE_BUDGET_MS = 5000;

function Delta({ before, after, testId, higherIsBetter = false }: {
  before: number; after: number; testId?: string; higherIsBetter?: boolean;
}) {
  if (before === after) return <span data-testid={testId}>{after}</span>;
  return (
    <span data-testid={testId}>
      <Typography.Text delete type="secondary">{before}</Typography.Text>{' '}
      <Typography.Text strong type={(after > before) !== higherIsBetter ? 'danger' : 'success'}>{after}</Typography.Text>
    </span>
  );
}

export default function ImpactPanel({ tenantId, pack, body, today, hasBelow = false }: {
  tenantId: string;
  pack: string;
  body: SaveBody;
  today: string;
  /** The tenant has centers below: offer the preview over them too (a province changing or locking a field). */
  hasBelow?: boolean;
}) {
  const { t } = useI18n();
  const [scope, setScope] = useState<'tenant' | 'subtree'>('tenant');
  const lastMonth = dayjs(today).startOf('month').subtract(1, 'month');
  const [month, setMonth] = useState<Dayjs>(lastMonth);
  const [result, setResult] = useState<ImpactResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { lang } = useI18n();
  // more centers below than the server previews in a request (409 use_background_job): the job
  // packs.impact_subtree covers every one, with its progress per center; its result file is the same answer
  const startJob = useStartJob(tenantId);
  const [job, setJob] = useState<string | null>(null);
  const jobDone = useCallback(async () => {
    if (!job) return;
    try {
      // the job's result file is the request's JSON answer (ImpactOut) over every center
      const answer = await call(client.GET('/api/t/{tenant_id}/jobs/{job_id}/result', {
        params: { path: { tenant_id: tenantId, job_id: job } },
        parseAs: 'json',
      }));
      setResult(answer as unknown as ImpactResult);
    } catch (err) {
      setError(err instanceof ApiError ? err.message(lang) : t('error.unknown'));
    }
  }, [job, tenantId, lang, t]);

  const run = useCallback(async (over: 'tenant' | 'subtree' = scope) => {
    setBusy(true);
    setError(null);
    setJob(null);
    const query = over === 'subtree' ? { scope: 'subtree' as const, budgetMs: SUBTREE_BUDGET_MS } : undefined;
    try {
      const res = await call(client.POST('/api/t/{tenant_id}/packs/{pack}/impact', {
        params: { path: { tenant_id: tenantId, pack }, query },
        body: { enabled: body.enabled, overrides: body.overrides, locks: body.locks, month: month.format('YYYY-MM') },
      }));
      setResult(res);
    } catch (err) {
      setResult(null);
      if (over === 'subtree' && isUseBackgroundJob(err)) {
        try {
          const started = await startJob.mutateAsync({
            kind: 'packs.impact_subtree',
            params: { pack, enabled: body.enabled, overrides: body.overrides, locks: body.locks, month: month.format('YYYY-MM') },
          });
          setJob(started.id);
        } catch (e) {
          setError(e instanceof ApiError ? e.message(lang) : t('error.unknown'));
        }
        return;
      }
      setError(err instanceof ApiError ? err.message(lang) : t('error.unknown'));
    } finally {
      setBusy(false);
    }
  }, [tenantId, pack, body, month, lang, t, scope, startJob]);

  useEffect(() => {
    void run();
    // once when opened; a new month is computed by the button
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const m = (key: Measure) => t(`impact.measure.${key}` as MessageKey);
  const columns: ColumnsType<Person> = [
    {
      title: t('impact.person'),
      key: 'person',
      fixed: 'left',
      width: 130,
      render: (_: unknown, p) => (
        <span data-testid={`impact-person-${p.employeeNo}`}>
          {p.name} <Typography.Text type="secondary">{p.employeeNo}</Typography.Text>
        </span>
      ),
    },
    ...MEASURES.map((key) => ({
      title: m(key),
      key,
      width: 96,
      render: (_: unknown, p: Person) => <Delta before={p.before[key]} after={p.after[key]} testId={`impact-${p.employeeNo}-${key}`} />,
    })),
    { title: t('impact.changedDays'), dataIndex: 'changedDays', width: 90 },
    ...(result?.scores ? [
      {
        title: t('impact.score'),
        key: 'score',
        width: 96,
        render: (_: unknown, p: Person) => (
          <Delta before={p.scoreBefore ?? 0} after={p.scoreAfter ?? 0} higherIsBetter testId={`impact-${p.employeeNo}-score`} />
        ),
      },
      {
        title: t('impact.pay'),
        key: 'pay',
        width: 110,
        render: (_: unknown, p: Person) => (
          <Delta before={p.payBefore ?? 0} after={p.payAfter ?? 0} higherIsBetter testId={`impact-${p.employeeNo}-pay`} />
        ),
      },
    ] : []),
  ];
  const sampleColumns: ColumnsType<DayChange> = [
    { title: t('impact.person'), key: 'p', render: (_: unknown, d) => `${d.name}（${d.employeeNo}）` },
    { title: t('impact.day'), dataIndex: 'day', width: 110 },
    { title: t('impact.before'), dataIndex: 'before', width: 110, render: (f: string) => <Tag>{t(`att.finding.${f}` as MessageKey)}</Tag> },
    { title: t('impact.after'), dataIndex: 'after', width: 110, render: (f: string) => <Tag color="blue">{t(`att.finding.${f}` as MessageKey)}</Tag> },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="impact-panel">
      <Space wrap>
        <span>{t('impact.month')}</span>
        <DatePicker
          picker="month"
          allowClear={false}
          value={month}
          disabledDate={(d) => d.isAfter(dayjs(today), 'month')}
          onChange={(d) => d && setMonth(d)}
          data-testid="impact-month"
        />
        {hasBelow ? (
          <Segmented
            data-testid="impact-scope"
            value={scope}
            onChange={(v) => {
              const next = v as 'tenant' | 'subtree';
              setScope(next);
              setResult(null);
              void run(next);
            }}
            options={[
              { value: 'tenant', label: t('impact.scope.tenant') },
              { value: 'subtree', label: <span data-testid="impact-scope-subtree">{t('impact.scope.subtree')}</span> },
            ]}
          />
        ) : null}
        <Button onClick={() => void run()} loading={busy} data-testid="impact-run">
          {t('impact.run')}
        </Button>
      </Space>
      <Typography.Text type="secondary">{t('impact.intro', { month: month.format('YYYY-MM') })}</Typography.Text>
      {busy && !result ? <Spin tip={t('impact.running')}><div style={{ height: 64 }} /></Spin> : null}
      {error ? <Alert type="error" showIcon message={error} data-testid="impact-error" /> : null}
      {job && scope === 'subtree' ? <JobProgress jobId={job} onDone={() => void jobDone()} /> : null}
      {result && !error && result.scope === 'subtree' ? <SubtreeResult result={result} /> : null}
      {result && !error && result.scope !== 'subtree' ? (
        <>
          {result.days === 0 ? (
            <Alert type="info" showIcon message={t('impact.notEvaluated', { month: result.month })} />
          ) : result.people.length === 0 ? (
            <Alert type="success" showIcon data-testid="impact-summary"
              message={t('impact.none', { month: result.month, staff: result.staff, days: result.days })} />
          ) : (
            <Alert type="warning" showIcon data-testid="impact-summary"
              message={t('impact.summary', { month: result.month, people: result.people.length, days: result.changedDays, ms: result.milliseconds })} />
          )}
          {result.people.length > 0 ? (
            <>
              <Table<Person>
                rowKey="staffId"
                size="small"
                columns={columns}
                dataSource={result.people}
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                scroll={{ x: 700 }}
                data-testid="impact-table"
                summary={() => (
                  <Table.Summary.Row>
                    <Table.Summary.Cell index={0}><b>{t('impact.totals')}</b></Table.Summary.Cell>
                    {MEASURES.map((key, i) => (
                      <Table.Summary.Cell key={key} index={i + 1}>
                        <Delta before={result.totalsBefore[key]} after={result.totalsAfter[key]} testId={`impact-total-${key}`} />
                      </Table.Summary.Cell>
                    ))}
                    <Table.Summary.Cell index={MEASURES.length + 1}>{result.changedDays}</Table.Summary.Cell>
                    {result.scores ? (
                      <>
                        <Table.Summary.Cell index={MEASURES.length + 2}>
                          <Delta before={result.scores.averageBefore} after={result.scores.averageAfter} higherIsBetter testId="impact-total-score" />
                        </Table.Summary.Cell>
                        <Table.Summary.Cell index={MEASURES.length + 3}>
                          <Delta before={result.scores.payBefore} after={result.scores.payAfter} higherIsBetter testId="impact-total-pay" />
                        </Table.Summary.Cell>
                      </>
                    ) : null}
                  </Table.Summary.Row>
                )}
              />
              <Typography.Text strong>{t('impact.sample')}</Typography.Text>
              <Table<DayChange>
                rowKey={(d) => `${d.staffId}-${d.day}`}
                size="small"
                columns={sampleColumns}
                dataSource={result.sample}
                pagination={{ pageSize: 5, hideOnSinglePage: true }}
                data-testid="impact-sample"
              />
            </>
          ) : null}
        </>
      ) : null}
    </Space>
  );
}

/** The preview over the centers below: which centers were sampled within the budget, which were left out, and
 * per center the totals before and after (no names of people: the centers' own pages hold those). */
function SubtreeResult({ result }: { result: ImpactResult }) {
  const { t } = useI18n();
  const centers = result.centers ?? [];
  const skipped = result.skipped ?? [];
  const unaffected = result.unaffected ?? [];
  const m = (key: Measure) => t(`impact.measure.${key}` as MessageKey);
  const columns: ColumnsType<CenterImpact> = [
    {
      title: t('overview.center'),
      key: 'center',
      fixed: 'left',
      width: 180,
      render: (_: unknown, c) => (
        <span data-testid={`impact-center-${c.divisionCode}`}>
          {c.name} <Typography.Text type="secondary">{c.divisionCode}</Typography.Text>
        </span>
      ),
    },
    { title: t('impact.centerStaff'), dataIndex: 'staff', width: 70 },
    { title: t('impact.peopleChanged'), dataIndex: 'peopleChanged', width: 90 },
    ...MEASURES.map((key) => ({
      title: m(key),
      key,
      width: 96,
      render: (_: unknown, c: CenterImpact) => <Delta before={c.totalsBefore[key]} after={c.totalsAfter[key]} />,
    })),
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="impact-subtree">
      <Alert
        type={skipped.length ? 'warning' : 'info'}
        showIcon
        data-testid="impact-subtree-summary"
        message={result.budgetMs ? t('impact.subtreeSummary', {
          month: result.month,
          sampled: centers.length,
          affected: centers.length + skipped.length,
          ms: result.milliseconds,
          budget: result.budgetMs,
        }) : t('impact.subtreeAll', { month: result.month, affected: centers.length, ms: result.milliseconds })}
        description={
          <Space direction="vertical" size={2}>
            <span>{t('impact.sampled', { names: centers.map((c) => c.name).join('、') || '—' })}</span>
            {skipped.length ? (
              <span data-testid="impact-skipped">{t('impact.skipped', { names: skipped.map((c) => c.name).join('、') })}</span>
            ) : null}
            {unaffected.length ? <span>{t('impact.unaffected', { n: unaffected.length })}</span> : null}
          </Space>
        }
      />
      {centers.length ? (
        <Table<CenterImpact>
          rowKey="tenantId"
          size="small"
          columns={columns}
          dataSource={centers}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          scroll={{ x: 760 }}
          data-testid="impact-centers"
          summary={() => (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}><b>{t('impact.totals')}</b></Table.Summary.Cell>
              <Table.Summary.Cell index={1}>{result.staff}</Table.Summary.Cell>
              <Table.Summary.Cell index={2}>{centers.reduce((n, c) => n + c.peopleChanged, 0)}</Table.Summary.Cell>
              {MEASURES.map((key, i) => (
                <Table.Summary.Cell key={key} index={i + 3}>
                  <Delta before={result.totalsBefore[key]} after={result.totalsAfter[key]} />
                </Table.Summary.Cell>
              ))}
            </Table.Summary.Row>
          )}
        />
      ) : null}
    </Space>
  );
}
