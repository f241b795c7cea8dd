// /attendance-sheet: the monthly attendance sheet of the whole center, with export to Excel (.xlsx).
import { useMemo, useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, DatePicker, Input, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DownloadOutlined, PrinterOutlined, SyncOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { keys } from '../../api/query';
import { ApiError, call, client } from '../../api';
import { useI18n } from '../../i18n';
import { ScopeBanner, useApiError, useTenant } from '../admin/shared';
import { attendanceApi } from './attendanceApi';
import type { Finding, Sheet, SheetRow } from './attendanceApi';
import { CorrectionBadge, FINDING_COLOR, FINDING_SYMBOL, LEAVE_NAME, LEAVE_SYMBOL, findingLabel } from './labels';
import { monthTitle } from './monthTitle';
import JobProgress, { fetchDownload, isUseBackgroundJob } from '../jobs/JobProgress';
import './attendance.css';

const PAGE_SIZE = 50;
const COLORS: Record<string, string> = { gold: '#fff1b8', orange: '#ffd591', volcano: '#ffbb96', red: '#ffa39e', blue: '#bae0ff', purple: '#efdbff', default: '#f5f5f5' };


export default function SheetPage() {
  const { t, lang } = useI18n();
  const tenant = useTenant();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const queryClient = useQueryClient();
  const [picked, setPicked] = useState<Dayjs | null>(null); // null: the server's current month
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const zh = lang !== 'en';
  const sheetKey = keys.tenant(tenant.id, 'attendance', 'sheet');
  // keyed by month, page and search: a slow answer for the month left behind never replaces this one
  const answer = useQuery({
    queryKey: [...sheetKey, { month: picked?.format('YYYY-MM') ?? null, page, search }],
    queryFn: ({ signal }) =>
      attendanceApi.sheet(tenant.id, picked?.format('YYYY-MM'), { currentPage: page, pageSize: PAGE_SIZE, searchString: search || undefined }, signal),
    enabled: !!tenant.id,
    placeholderData: keepPreviousData,
    meta: { silent: true },
  });
  const sheet: Sheet | null = answer.data ?? null;
  const month = picked ?? (sheet ? dayjs(`${sheet.month}-01`) : null);
  const loading = answer.isFetching;
  // e.g. the work-hours pack is off here: say why in the card, not in a passing toast over an empty table
  const problem = answer.error && answer.error.status !== 0 ? answer.error.message(lang) : null;
  const offline = answer.error && answer.error.status === 0 ? answer.error.message(lang) : null;
  // long work of a big center (the server answers 409 use_background_job over GOVHALL_JOB_STAFF): a background job,
  // followed on this page (and on the jobs page)
  const [job, setJob] = useState<string | null>(null);
  const startJob = useMutation({
    mutationFn: (kind: string) =>
      call(client.POST('/api/t/{tenant_id}/jobs', {
        params: { path: { tenant_id: tenant.id } },
        body: { kind, params: { month: sheet?.month ?? dayjs().format('YYYY-MM'), lang: zh ? 'zh' : 'en' } },
      })),
    onSuccess: (started) => setJob(started.id),
    onError: (err) => onError(err),
  });
  const [exporting, setExporting] = useState(false);
  const exportSheet = async () => {
    if (!sheet) return;
    setExporting(true);
    try {
      await fetchDownload(attendanceApi.sheetXlsxUrl(tenant.id, sheet.month, lang), `attendance-${sheet.month}.xlsx`);
    } catch (err) {
      if (isUseBackgroundJob(err)) startJob.mutate('attendance.sheet_xlsx');
      else onError(err);
    } finally {
      setExporting(false);
    }
  };
  const recompute = useMutation({
    mutationFn: () => attendanceApi.evaluate(tenant.id, sheet?.month ?? dayjs().format('YYYY-MM')),
    onSuccess: (r) => message.success(t('att.sheet.recomputed', { days: r.days, staff: r.staff, s: r.seconds })),
    onError: (err) => (err instanceof ApiError && err.code === 'use_background_job' ? startJob.mutate('attendance.evaluate') : onError(err)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: sheetKey }),
  });

  const columns = useMemo<ColumnsType<SheetRow>>(() => {
    if (!sheet) return [];
    const workdays = new Set(sheet.workdays);
    return [
      { title: t('att.sheet.no'), dataIndex: 'employeeNo', fixed: 'left', width: 72 },
      { title: t('att.sheet.name'), dataIndex: 'name', fixed: 'left', width: 96, ellipsis: true },
      ...sheet.dates.map((d) => ({
        title: <span title={d}>{dayjs(d).date()}</span>,
        key: d,
        width: 34,
        className: 'att-cell',
        onHeaderCell: () => ({ className: 'att-cell', style: workdays.has(d) ? undefined : { color: '#bbb' } }),
        render: (_: unknown, r: SheetRow) => {
          const f = (r.days[d] ?? (workdays.has(d) ? '' : 'rest_day')) as Finding | '';
          if (!f) return null;
          const kind = f === 'on_leave' ? r.leaveTypes?.[d] : undefined;
          const sym = kind && LEAVE_SYMBOL[kind] ? LEAVE_SYMBOL[kind] : FINDING_SYMBOL[f];
          const marks = r.corrections?.[d];
          return (
            <span
              title={marks?.length ? undefined : `${d} ${findingLabel(t, f)}${kind && LEAVE_NAME[kind] ? `（${LEAVE_NAME[kind][zh ? 0 : 1]}）` : ''}`}
              data-finding={f}
              data-corrected={marks?.length ? 'true' : undefined}
              data-testid={`cell-${r.employeeNo}-${d}`}
              style={{ display: 'block', whiteSpace: 'nowrap', background: f === 'on_time' ? undefined : COLORS[FINDING_COLOR[f]] ?? undefined }}
            >
              {marks?.length && f === 'on_time' ? '' : sym ? sym[zh ? 0 : 1] : ''}
              <CorrectionBadge t={t} marks={marks} compact testId={`corr-${r.employeeNo}-${d}`} />
            </span>
          );
        },
      })),
      { title: t('att.month.late'), key: 'late', width: 64, render: (_: unknown, r) => r.totals.lateCount },
      { title: t('att.month.early'), key: 'early', width: 64, render: (_: unknown, r) => r.totals.earlyCount },
      { title: t('att.month.missed'), key: 'missed', width: 64, render: (_: unknown, r) => r.totals.missedPunches },
      { title: t('att.month.converted'), key: 'conv', width: 80, render: (_: unknown, r) => r.totals.convertedHalfDays },
      {
        title: t('att.month.totalAbsence'),
        key: 'abs',
        width: 80,
        fixed: 'right',
        render: (_: unknown, r) => (
          <b data-testid={`absence-${r.employeeNo}`}>{r.totals.totalAbsenceHalfDays ? t('att.month.halfDays', { n: r.totals.totalAbsenceHalfDays }) : 0}</b>
        ),
      },
      { title: t('att.month.leave'), key: 'leave', width: 64, render: (_: unknown, r) => r.totals.leaveHalfDays },
    ];
  }, [sheet, t, zh]);

  return (
    <div data-testid="page-sheet">
      <ScopeBanner />
      <Card
        title={<span data-testid="page-title">{t('att.sheet.title')}</span>}
        extra={
          <Space wrap>
            <Input.Search
              allowClear
              placeholder={t('att.board.search')}
              style={{ width: 180 }}
              data-testid="sheet-search"
              onSearch={(v) => {
                setPage(1);
                setSearch(v.trim());
              }}
            />
            <DatePicker
              picker="month"
              value={month}
              allowClear={false}
              onChange={(v) => {
                if (!v) return;
                setPage(1);
                setPicked(v.startOf('month'));
              }}
              data-testid="sheet-month"
              format={zh ? ['YYYY年M月', 'YYYY-MM'] : ['YYYY-MM']}
            />
            <Button
              icon={<SyncOutlined />}
              loading={recompute.isPending}
              data-testid="sheet-recompute"
              onClick={() => recompute.mutate()}
            >
              {t('att.sheet.recompute')}
            </Button>
            <Button
              type="primary"
              icon={<DownloadOutlined />}
              disabled={!sheet}
              loading={startJob.isPending || exporting}
              onClick={() => void exportSheet()}
              data-testid="sheet-export"
            >
              {t('att.sheet.export')}
            </Button>
            <Button icon={<PrinterOutlined />} disabled={!sheet} onClick={() => window.print()} data-testid="sheet-print">
              {t('att.sheet.print')}
            </Button>
          </Space>
        }
      >
        {job ? <div style={{ marginBottom: 12 }}><JobProgress jobId={job} onDone={() => void queryClient.invalidateQueries({ queryKey: sheetKey })} /></div> : null}
        {problem && <Alert type="warning" showIcon message={problem} data-testid="sheet-problem" />}
        {offline && <Alert type="error" showIcon message={offline} style={{ marginBottom: 12 }} />}
        {sheet && (
          <div className="print-only att-print-title" data-testid="sheet-print-title">
            {t('att.sheet.printTitle', { center: tenant.name, month: monthTitle(sheet.month, zh) })}
          </div>
        )}
        {sheet && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space wrap>
              <Typography.Text type="secondary" data-testid="sheet-final">
                {sheet.finalThrough ? t('att.sheet.finalThrough', { date: zh ? dayjs(sheet.finalThrough).format('YYYY年M月D日') : sheet.finalThrough }) : t('att.sheet.notFinal')}
              </Typography.Text>
              {sheet.evaluatedAt && (
                <Typography.Text type="secondary">{t('att.sheet.evaluatedAt', { time: dayjs(sheet.evaluatedAt).format('YYYY-MM-DD HH:mm') })}</Typography.Text>
              )}
            </Space>
            <Space wrap size={4}>
              {t('att.sheet.legend')}{zh ? '：' : ':'}
              {(Object.keys(FINDING_SYMBOL) as Finding[]).map((f) => (
                <Tag key={f} color={FINDING_COLOR[f]}>
                  {FINDING_SYMBOL[f]![zh ? 0 : 1]} {findingLabel(t, f)}
                </Tag>
              ))}
              <Tag color="geekblue">{t('att.corr.mark')} {t('att.corr.title')}</Tag>
            </Space>
          </Space>
        )}
        {!problem && (
          <Table<SheetRow>
            className="att-sheet"
            rowKey="staffId"
            size="small"
            loading={loading}
            columns={columns}
            dataSource={sheet?.rows ?? []}
            pagination={
              sheet && sheet.total > PAGE_SIZE
                ? { current: page, pageSize: PAGE_SIZE, total: sheet.total, showSizeChanger: false, onChange: setPage }
                : false
            }
            scroll={{ x: 'max-content' }}
            data-testid="sheet-table"
            style={{ marginTop: 12 }}
          />
        )}
        {sheet && (
          <div className="print-only att-print-sign">
            <span>{t('att.sheet.preparedBy')}</span>
            <span>{t('att.sheet.reviewedBy')}</span>
            <span>{t('att.sheet.signDate')}</span>
          </div>
        )}
      </Card>
    </div>
  );
}
