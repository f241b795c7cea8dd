// 月度结算: close (only once attendance is final), publish, reopen (audited, with a reason); the center's month
// summary with the window scorecards (printable); the pay list with its xlsx; the per-department notice for the
// home units (xlsx and a printable page).
import { useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { keys } from '../../api/query';
import { Alert, App as AntApp, Button, Card, Descriptions, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useI18n } from '../../i18n';
import { useApiError } from '../admin/shared';
import { assessmentApi } from './assessmentApi';
import type { DepartmentNotice, MonthSummary, MonthView, PayList, PayRow, UnitCardView } from './assessmentApi';
import { MonthPicker, StatusTag, fmt, lastMonth } from './labels';
import JobProgress, { isUseBackgroundJob, useStartJob } from '../jobs/JobProgress';

function Notice({ notice, print }: { notice: DepartmentNotice; print: boolean }) {
  const { t } = useI18n();
  return (
    <div className={print ? 'as-print' : undefined} data-testid="dept-notice">
      <Typography.Title level={4} style={{ textAlign: 'center' }}>
        {t('as.m.noticeTitle', { dept: notice.departmentName, center: notice.center, month: notice.month })}
      </Typography.Title>
      <table className="as-notice-table">
        <thead>
          <tr>
            <th>{t('as.list.person')}</th><th>{t('as.total')}</th><th>{t('as.pay')}</th><th>{t('as.list.item')}</th>
          </tr>
        </thead>
        <tbody>
          {notice.people.map((p) => (
            <tr key={p.employeeNo}>
              <td>{p.name}<br />{p.employeeNo}</td>
              <td>{fmt(p.total)}{p.returnToUnit ? `（${t('as.returnFlag')}）` : ''}</td>
              <td>{t('as.yuan', { n: fmt(p.payYuan) })}{p.finesYuan ? `，${t('as.fines')} ${fmt(p.finesYuan)}` : ''}</td>
              <td>
                {p.lines.length === 0 ? t('as.m.noDeductions') : p.lines.map((l, i) => (
                  <div key={i}>{l.day} {l.name}（{l.clause}）{l.points > 0 ? '+' : ''}{fmt(l.points)}</div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Summary({ s, print }: { s: MonthSummary; print: boolean }) {
  const { t, lang } = useI18n();
  const cat = (k: string) => s.byCategory.find((c) => c.key === k)?.name ?? k;
  return (
    <div className={print ? 'as-print' : undefined} data-testid="month-summary">
      {print && <Typography.Title level={4} style={{ textAlign: 'center' }}>{t('as.m.summaryTitle', { center: s.center, month: s.month })}</Typography.Title>}
      <Descriptions size="small" bordered column={{ xs: 1, sm: 2, md: 4 }}>
        <Descriptions.Item label={t('as.m.staff')}>{s.staff}</Descriptions.Item>
        <Descriptions.Item label={t('as.m.average')}><span data-testid="summary-average">{fmt(s.averageTotal)}</span></Descriptions.Item>
        <Descriptions.Item label={t('as.m.fullMarks')}>{s.fullMarks}</Descriptions.Item>
        <Descriptions.Item label={t('as.m.awardIneligible')}>{s.awardIneligible}</Descriptions.Item>
        <Descriptions.Item label={t('as.m.payTotal')}>{t('as.yuan', { n: fmt(s.totalPayYuan) })}</Descriptions.Item>
        <Descriptions.Item label={t('as.fines')}>{t('as.yuan', { n: fmt(s.totalFinesYuan) })}</Descriptions.Item>
        <Descriptions.Item label={t('as.tab.appeals')}>
          {Object.entries(s.appeals).map(([k, n]) => `${t(`as.status.${k}` as 'as.status.recorded')} ${n}`).join('，') || '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('as.tab.cases')}>
          {Object.entries(s.returnCases).map(([k, n]) => `${t(`as.rc.status.${k}` as 'as.rc.status.flagged')} ${n}`).join('，') || '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('as.m.distribution')} span={2}>
          {Object.entries(s.distribution).map(([k, n]) => `${k}：${n}`).join('；')}
        </Descriptions.Item>
        <Descriptions.Item label={t('as.m.bySource')} span={2}>
          {s.bySource.map((x) => `${lang === 'en' ? x.key : x.name} ${x.count}`).join('，') || '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('as.m.byCategory')} span={2}>
          {s.byCategory.map((x) => `${x.name} ${x.points > 0 ? `−${fmt(x.points)}` : '0'}`).join('，')}
        </Descriptions.Item>
        <Descriptions.Item label={t('as.m.topKinds')} span={2}>
          {s.topKinds.map((x) => `${x.name} ${fmt(x.count)}（−${fmt(x.points)}）`).join('，') || '—'}
        </Descriptions.Item>
      </Descriptions>
      {s.units.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 12 }}>{t('as.m.units')}</Typography.Title>
          <Table<UnitCardView>
            rowKey={(u) => `${u.subject}-${u.unitId}`}
            size="small"
            data-testid="unit-cards"
            dataSource={s.units}
            pagination={false}
            expandable={{
              rowExpandable: (u) => u.lines.length > 0,
              expandedRowRender: (u) => u.lines.map((l, i) => (
                <div key={i}>{l.day} {l.staffName ? `${l.staffName}：` : ''}{l.name}（{t('as.occurrence', { n: l.occurrence })}，{l.clause}）{fmt(l.points)}</div>
              )),
            }}
            columns={[
              { title: t('as.m.unit'), render: (_, u) => <>{u.name}{u.subject === 'department' ? <Tag style={{ marginLeft: 4 }}>{t('as.m.department')}</Tag> : null}</> },
              { title: t('as.m.department'), render: (_, u) => u.subject === 'window' ? u.departmentName ?? '' : '' },
              ...Object.keys(s.units[0].categories).map((k) => ({ title: cat(k), render: (_: unknown, u: UnitCardView) => fmt(u.categories[k] ?? 0) })),
              { title: t('as.total'), render: (_, u) => <Typography.Text strong>{fmt(u.total)}</Typography.Text>, sorter: (a, b) => a.total - b.total },
              { title: t('as.m.eligible'), render: (_, u) => u.awardEligible ? t('as.m.yes') : <Tag color="orange">{t('as.m.no')}</Tag> },
            ]}
          />
        </>
      )}
    </div>
  );
}

export default function MonthTab({ tenantId }: { tenantId: string }) {
  const { t, lang } = useI18n();
  const onError = useApiError();
  const { message } = AntApp.useApp();
  const [month, setMonth] = useState(lastMonth());
  const [dept, setDept] = useState<string | undefined>();
  const queryClient = useQueryClient();
  // each answer under the month (and department) it was asked for: a slow answer for the previous month cannot
  // land on this one
  const view: MonthView | null = useQuery({
    queryKey: keys.tenant(tenantId, 'assessment', 'month', month),
    queryFn: ({ signal }) => assessmentApi.month(tenantId, month, signal),
  }).data ?? null;
  const closed = view !== null && view.status !== 'open';
  const payQuery = useQuery({
    queryKey: keys.tenant(tenantId, 'assessment', 'month', month, 'pay'),
    queryFn: ({ signal }) => assessmentApi.pay(tenantId, month, signal),
    enabled: closed,
  });
  const summaryQuery = useQuery({
    queryKey: keys.tenant(tenantId, 'assessment', 'month', month, 'summary'),
    queryFn: ({ signal }) => assessmentApi.summary(tenantId, month, signal),
    enabled: closed,
  });
  const noticeQuery = useQuery({
    queryKey: keys.tenant(tenantId, 'assessment', 'month', month, 'notice', dept),
    queryFn: ({ signal }) => assessmentApi.notice(tenantId, month, dept!, signal),
    enabled: closed && !!dept,
  });
  const pay: PayList | null = closed ? payQuery.data ?? null : null;
  const summary: MonthSummary | null = closed ? summaryQuery.data ?? null : null;
  const notice: DepartmentNotice | null = closed && dept ? noticeQuery.data ?? null : null;
  const [printing, setPrinting] = useState<'summary' | 'notice'>('notice');
  const print = (what: 'summary' | 'notice') => { setPrinting(what); setTimeout(() => window.print(), 50); };
  const [reopening, setReopening] = useState(false);
  const [reason, setReason] = useState('');
  // after a change: everything of the assessment again, except the month's pay list, summary and notice while the
  // month is (again) open (they exist only for a closed month; asking would answer 409 and show the error twice)
  const monthKey = keys.tenant(tenantId, 'assessment', 'month', month);
  const closedOnly = new Set(['pay', 'summary', 'notice']);
  const load = (open = false) => void queryClient.invalidateQueries({
    queryKey: keys.tenant(tenantId, 'assessment'),
    predicate: (q) => !(open && q.queryKey.length > monthKey.length && q.queryKey[monthKey.length - 1] === month
      && closedOnly.has(String(q.queryKey[monthKey.length]))),
  });
  const departments = useMemo(() => {
    const seen = new Map<string, string>();
    for (const r of pay?.rows ?? []) if (r.departmentId) seen.set(r.departmentId, r.departmentName ?? '');
    return [...seen.entries()];
  }, [pay]);

  // a big center's close answers 409 use_background_job: it runs as the job assessment.close_month, followed here
  const startJob = useStartJob(tenantId);
  const [closeJob, setCloseJob] = useState<{ id: string; month: string } | null>(null);
  const closeMonth = async () => {
    try {
      await act(() => assessmentApi.close(tenantId, month), undefined, true);
    } catch (err) {
      if (!isUseBackgroundJob(err)) return onError(err);
      try {
        const job = await startJob.mutateAsync({ kind: 'assessment.close_month', params: { month } });
        setCloseJob({ id: job.id, month });
      } catch (e) {
        onError(e);
      }
    }
  };
  const act = async (fn: () => Promise<unknown>, ok?: string, rethrow = false) => {
    try {
      const res = await fn();
      const open = !!res && typeof res === 'object' && 'status' in res && (res as MonthView).status === 'open';
      if (open) queryClient.setQueryData(monthKey, res);
      if (ok) message.success(ok);
      else if (res && typeof res === 'object' && 'scorecards' in res) {
        const r = res as { scorecards: number; attendanceRecords: number; returnCases: number };
        message.success(t('as.m.closed', { n: r.scorecards, a: r.attendanceRecords, c: r.returnCases }));
      }
      load(open);
    } catch (err) {
      if (rethrow) throw err;
      onError(err);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="month-close">
      <Space wrap>
        <MonthPicker value={month} onChange={setMonth} testId="close-month" />
      </Space>
      <Card size="small" loading={view === null}>
        {view && (
          <>
            <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }}>
              <Descriptions.Item label={t('as.m.status')}><span data-testid="month-status"><StatusTag prefix="as.state" value={view.status} /></span></Descriptions.Item>
              <Descriptions.Item label={t('as.m.attendance')}>{view.attendanceFinalThrough ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('as.m.summary')}>
                {t('as.m.records', { n: view.records })}，{t('as.m.cards', { n: view.scorecards })}，{t('as.m.appeals', { n: view.openAppeals })}
              </Descriptions.Item>
            </Descriptions>
            {view.status === 'open' && !view.attendanceFinal && <Alert type="warning" showIcon message={t('as.m.attendanceNotFinal')} />}
            <Space wrap style={{ marginTop: 8 }}>
              {view.status === 'open' && (
                <Popconfirm title={t('as.m.closeConfirm')} onConfirm={closeMonth}>
                  <Button type="primary" disabled={!view.attendanceFinal} data-testid="close-button">{t('as.m.close')}</Button>
                </Popconfirm>
              )}
              {view.status === 'closed' && (
                <Button type="primary" onClick={() => act(() => assessmentApi.publish(tenantId, month), t('as.state.published'))}
                  data-testid="publish-button">{t('as.m.publish')}</Button>
              )}
              {view.status !== 'open' && (
                <Button danger onClick={() => { setReason(''); setReopening(true); }} data-testid="reopen-button">{t('as.m.reopen')}</Button>
              )}
            </Space>
            {closeJob && closeJob.month === month ? (
              <div style={{ marginTop: 8 }}>
                <JobProgress jobId={closeJob.id} onDone={() => load()} />
              </div>
            ) : null}
          </>
        )}
      </Card>
      {summary && (
        <Card size="small" title={t('as.m.summaryCard')} extra={<Button onClick={() => print('summary')} data-testid="summary-print">{t('as.m.print')}</Button>}>
          <Summary s={summary} print={printing === 'summary'} />
        </Card>
      )}
      {pay && (
        <Card size="small" title={t('as.m.payList')}
          extra={<a href={assessmentApi.payXlsx(tenantId, month)} data-testid="pay-xlsx">{t('as.m.download')}</a>}>
          <div data-testid="pay-list">
          <Table<PayRow>
            rowKey="staffId"
            size="small"
            dataSource={pay.rows}
            scroll={{ x: 800 }}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            columns={[
              { title: t('as.list.person'), render: (_, r) => `${r.name} ${r.employeeNo}`, fixed: 'left', width: 130 },
              { title: t('as.m.department'), render: (_, r) => r.departmentName ?? '', width: 140,
                filters: departments.map(([id, name]) => ({ value: id, text: name })),
                onFilter: (v, r) => r.departmentId === v },
              ...pay.categories.map((c) => ({ title: `${lang === 'en' ? c.nameEn : c.name}（${fmt(c.maxPoints)}）`,
                render: (_: unknown, r: PayRow) => fmt(r.categories[c.key] ?? 0), width: 90 })),
              { title: t('as.total'), render: (_, r) => <Typography.Text strong>{fmt(r.total)}</Typography.Text>, width: 70,
                sorter: (a, b) => a.total - b.total },
              { title: t('as.pay'), render: (_, r) => fmt(r.payYuan), width: 90 },
              { title: t('as.fines'), render: (_, r) => fmt(r.finesYuan), width: 70 },
              { title: '', render: (_, r) => (
                <Space size={2}>
                  {r.returnToUnit && <Tag color="red">{t('as.tab.cases')}</Tag>}
                  {!r.awardEligible && <Tag color="orange">{t('as.awardBarred')}</Tag>}
                </Space>), width: 150 },
            ]}
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0} colSpan={3 + pay.categories.length}>{t('as.m.sum')}</Table.Summary.Cell>
                <Table.Summary.Cell index={1}>{fmt(pay.totalPayYuan)}</Table.Summary.Cell>
                <Table.Summary.Cell index={2}>{fmt(pay.totalFinesYuan)}</Table.Summary.Cell>
              </Table.Summary.Row>
            )}
          />
          </div>
        </Card>
      )}
      {pay && (
        <Card size="small" title={t('as.m.notice')}
          extra={
            <Space>
              <Select placeholder={t('as.m.noticeDept')} style={{ width: 200 }} value={dept} onChange={setDept}
                data-testid="notice-dept" options={departments.map(([id, name]) => ({ value: id, label: name }))} />
              {dept && <a href={assessmentApi.noticeXlsx(tenantId, month, dept)}>{t('as.m.download')}</a>}
              {notice && <Button onClick={() => print('notice')} data-testid="notice-print">{t('as.m.print')}</Button>}
            </Space>
          }>
          {notice ? <Notice notice={notice} print={printing === 'notice'} /> : null}
        </Card>
      )}
      <Modal open={reopening} title={t('as.m.reopen')} onCancel={() => setReopening(false)}
        okButtonProps={{ danger: true, disabled: !reason.trim() }}
        onOk={async () => { setReopening(false); await act(() => assessmentApi.reopen(tenantId, month, reason.trim()), t('as.state.open')); }}>
        <Input.TextArea rows={3} placeholder={t('as.m.reopenReason')} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
      </Modal>
    </Space>
  );
}
