// A person's month as a calendar: each day's finding, and on click the sessions with their reasons;
// a missed-punch (补卡) request can be made from a day.
import { useMemo, useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Descriptions, Empty, Form, Input, Modal, Space, Spin, Tag, TimePicker, Typography } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { ApiError } from '../../api';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { useApiError } from '../admin/shared';
import { keys } from '../../api/query';
import { attendanceApi } from './attendanceApi';
import type { DayView, MyMonth as Month } from './attendanceApi';
import CalendarMissing, { missingCalendarYear } from './CalendarMissing';
import { CorrectionBadge, FINDING_COLOR, FindingTag, LEAVE_NAME, SessionLine, correctionText, findingLabel, outsideText, reasonLabel } from './labels';
import { monthTitle } from './monthTitle';

const WEEK_ZH = ['一', '二', '三', '四', '五', '六', '日'];
const WEEK_EN = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const REQUESTABLE = new Set(['missed_punch', 'absence', 'late', 'early_leave', 'late_early', 'pending']);

export function MonthTotalsView({ month }: { month: Month }) {
  const { t } = useI18n();
  const m = month.totals;
  const conv = Object.entries(m.converted ?? {}).filter(([, n]) => n > 0);
  return (
    <Descriptions size="small" column={{ xs: 2, sm: 3, md: 4 }} data-testid="month-totals" bordered>
      <Descriptions.Item label={t('att.month.workdays')}>{t('att.month.days', { n: m.workdays })}</Descriptions.Item>
      <Descriptions.Item label={t('att.month.onTime')}>{t('att.month.days', { n: m.onTimeDays })}</Descriptions.Item>
      <Descriptions.Item label={t('att.month.late')}>
        {t('att.month.times', { n: m.lateCount })} / {t('att.month.minutes', { n: m.lateMinutes })}
      </Descriptions.Item>
      <Descriptions.Item label={t('att.month.early')}>
        {t('att.month.times', { n: m.earlyCount })} / {t('att.month.minutes', { n: m.earlyMinutes })}
      </Descriptions.Item>
      <Descriptions.Item label={t('att.month.missed')}>{t('att.month.times', { n: m.missedPunches })}</Descriptions.Item>
      <Descriptions.Item label={t('att.month.absence')}>{t('att.month.halfDays', { n: m.absenceHalfDays })}</Descriptions.Item>
      <Descriptions.Item label={t('att.month.converted')}>
        {t('att.month.halfDays', { n: m.convertedHalfDays })}
        {conv.length > 0 && (
          <div style={{ color: '#888', fontSize: 12 }}>
            {conv.map(([k, n]) => t(`att.month.conv.${k}` as 'att.month.conv.late_early', { n })).join('；')}
          </div>
        )}
      </Descriptions.Item>
      <Descriptions.Item label={t('att.month.totalAbsence')}>
        <b data-testid="month-total-absence">{t('att.month.halfDays', { n: m.totalAbsenceHalfDays })}</b>
      </Descriptions.Item>
      <Descriptions.Item label={t('att.month.leave')}>{t('att.month.halfDays', { n: m.leaveHalfDays })}</Descriptions.Item>
    </Descriptions>
  );
}

function DayCell({ day, selected, onClick }: { day: DayView; selected: boolean; onClick: () => void }) {
  const { t, lang } = useI18n();
  const color = FINDING_COLOR[day.finding] ?? 'default';
  const quiet = day.finding === 'rest_day' || day.finding === 'future';
  return (
    <button
      type="button"
      onClick={onClick}
      data-testid={`day-${day.date}`}
      data-finding={day.finding}
      className={`att-day${selected ? ' att-day-selected' : ''}`}
      style={{ opacity: quiet ? 0.6 : 1 }}
    >
      <span className="att-day-num">{dayjs(day.date).date()}</span>
      {day.finding !== 'future' && (
        <Tag color={color} className="att-day-tag">
          {day.finding === 'on_leave' && day.leaveType && LEAVE_NAME[day.leaveType]
            ? LEAVE_NAME[day.leaveType][lang === 'en' ? 1 : 0]
            : findingLabel(t, day.finding)}
        </Tag>
      )}
      {day.corrections && day.corrections.length > 0 && <span className="att-corr-mark att-corr-mark-compact" data-testid={`day-corr-${day.date}`}>{t('att.corr.mark')}</span>}
    </button>
  );
}

export default function MyMonth({ tenantId, staffId }: { tenantId: string; staffId?: string }) {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const zh = lang !== 'en';
  // null: the server's current month (its clock and time zone decide what "this month" is)
  const [month, setMonth] = useState<Dayjs | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [requesting, setRequesting] = useState<DayView | null>(null);
  const asked = month?.format('YYYY-MM');
  // keyed by person and month: a slow answer for the month left behind never replaces the one asked for now
  const answer = useQuery({
    queryKey: keys.tenant(tenantId, 'attendance', 'month', staffId ?? 'me', asked ?? null),
    queryFn: ({ signal }) =>
      staffId ? attendanceApi.staffMonth(tenantId, staffId, asked, signal) : attendanceApi.myMonth(tenantId, asked, signal),
    enabled: !!tenantId,
    placeholderData: keepPreviousData,
    meta: { silent: true },
  });
  const err = answer.error;
  const missingYear = err ? missingCalendarYear(err) : null;
  const problem = err && missingYear === null ? (err instanceof ApiError ? err.message(lang) : String(err)) : null;
  const data: Month | null = missingYear === null ? answer.data ?? null : null;
  const loading = answer.isFetching;
  // the month shown: the one asked for, else the server's answer, else (no calendar) January of the missing year
  const shown = month ?? (data ? dayjs(`${data.month}-01`) : missingYear ? dayjs(`${missingYear}-01-01`) : null);
  const load = () => void queryClient.invalidateQueries({ queryKey: keys.tenant(tenantId, 'attendance') });

  const weeks = useMemo(() => {
    if (!data) return [];
    const cells: (DayView | null)[] = [];
    const first = dayjs(data.days[0]?.date);
    const lead = (first.day() + 6) % 7;
    for (let i = 0; i < lead; i++) cells.push(null);
    cells.push(...data.days);
    while (cells.length % 7) cells.push(null);
    return cells;
  }, [data]);

  const day = data?.days.find((d) => d.date === selected) ?? null;
  const provisional = data?.days.some((d) => d.finding === 'pending');
  const canRequest = !staffId && can('missed_punch:request');
  if (problem) return <Alert type="warning" showIcon message={problem} data-testid="month-problem" />;

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="my-month">
      <Space wrap>
        <Button icon={<LeftOutlined />} disabled={!shown} onClick={() => shown && setMonth(shown.subtract(1, 'month'))} data-testid="month-prev" />
        <DatePicker picker="month" value={shown} allowClear={false} onChange={(v) => v && setMonth(v.startOf('month'))}
          format={zh ? ['YYYY年M月', 'YYYY-MM'] : ['YYYY-MM']} />
        <Button icon={<RightOutlined />} disabled={!shown} onClick={() => shown && setMonth(shown.add(1, 'month'))} data-testid="month-next" />
        {data && canRequest && <Tag>{t('att.month.requestsLeft', { n: data.missedPunchRequestsLeft })}</Tag>}
      </Space>
      {missingYear !== null && <CalendarMissing year={missingYear} where="month" />}
      {loading && !data ? <Spin /> : null}
      {data && (
        <>
          {provisional && <Alert type="info" showIcon message={t('att.month.provisional')} />}
          <Card size="small" title={t('att.month.totals')}>
            <MonthTotalsView month={data} />
          </Card>
          <Card
            size="small"
            title={
              <span data-testid="month-title">
                {staffId
                  ? t('att.month.staffTitle', { name: data.name, month: monthTitle(data.month, zh) })
                  : t('att.month.title', { month: monthTitle(data.month, zh) })}
              </span>
            }
            loading={loading && !data}
          >
            <div className="att-calendar">
              {(lang === 'en' ? WEEK_EN : WEEK_ZH).map((w) => (
                <div key={w} className="att-week">
                  {w}
                </div>
              ))}
              {weeks.map((d, i) =>
                d ? (
                  <DayCell key={d.date} day={d} selected={d.date === selected} onClick={() => setSelected(d.date)} />
                ) : (
                  <div key={`blank-${i}`} />
                ),
              )}
            </div>
          </Card>
          {day && (
            <Card
              size="small"
              data-testid="day-detail"
              title={
                <Space wrap>
                  {t('att.month.dayDetail', { date: day.date })}
                  <FindingTag t={t} finding={day.finding} />
                  {day.reason ? <Tag>{reasonLabel(t, day.reason)}</Tag> : null}
                  {day.leaveType && LEAVE_NAME[day.leaveType] ? <Tag color="blue">{LEAVE_NAME[day.leaveType][lang === 'en' ? 1 : 0]}</Tag> : null}
                  {day.effect === 'unclosed_leave' ? <Tag color="red">{lang === 'en' ? 'Leave not closed in time' : '未按时销假'}</Tag> : null}
                  <CorrectionBadge t={t} marks={day.corrections} testId="day-correction" />
                </Space>
              }
              extra={
                canRequest && REQUESTABLE.has(day.finding) && data.missedPunchRequestsLeft > 0 ? (
                  <Button size="small" onClick={() => setRequesting(day)} data-testid="request-missed-punch">
                    {t('att.month.requestButton')}
                  </Button>
                ) : null
              }
            >
              {day.sessions.length ? (
                day.sessions.map((s) => <SessionLine key={s.label + s.start} t={t} s={s} />)
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={reasonLabel(t, day.reason) ?? findingLabel(t, day.finding)} />
              )}
              {day.punches.length > 0 && (
                <div style={{ marginTop: 8 }}>
                  <Typography.Text type="secondary">{t('att.month.punches')}{lang === 'en' ? ': ' : '：'}</Typography.Text>
                  {day.punches.map((p, i) => (
                    <Tag key={`${p}${i}`}>{p}</Tag>
                  ))}
                </div>
              )}
              {(day.corrections ?? []).map((m) => (
                <Alert key={m.id} type="info" showIcon style={{ marginTop: 8 }} data-testid="day-correction-text" message={correctionText(t, m)} />
              ))}
              {(day.outsidePunches ?? []).map((o, i) => (
                <Alert key={`${o.time}-${i}`} type="warning" showIcon style={{ marginTop: 8 }}
                  data-testid="month-outside" message={outsideText(t, o)} />
              ))}
            </Card>
          )}
        </>
      )}
      {requesting && (
        <RequestModal
          tenantId={tenantId}
          day={requesting}
          onClose={(done) => {
            setRequesting(null);
            if (done) void load();
          }}
        />
      )}
    </Space>
  );
}

export function RequestModal({ tenantId, day, onClose }: { tenantId: string; day: DayView; onClose: (done: boolean) => void }) {
  const { t } = useI18n();
  const onError = useApiError();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const missing = day.sessions.find((s) => s.status === 'missed_in' || s.status === 'missed_out' || s.status === 'absence');
  const suggested = missing ? (missing.status === 'missed_out' ? missing.end : missing.start) : '08:30';
  return (
    <Modal
      open
      title={t('att.req.title')}
      onCancel={() => onClose(false)}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'request-submit' } as Record<string, string>}
      onOk={async () => {
        let v: { time: Dayjs; reason: string };
        try {
          v = await form.validateFields();
        } catch {
          return;
        }
        setSaving(true);
        try {
          await attendanceApi.requestMissedPunch(tenantId, { workDate: day.date, time: v.time.format('HH:mm'), reason: v.reason });
          Modal.success({ title: t('att.req.submitted') });
          onClose(true);
        } catch (err) {
          onError(err, form);
        } finally {
          setSaving(false);
        }
      }}
    >
      <Form form={form} layout="vertical" initialValues={{ time: dayjs(`${day.date}T${suggested}`) }}>
        <Form.Item label={t('att.req.date')}>{day.date}</Form.Item>
        <Form.Item name="time" label={t('att.req.time')} rules={[{ required: true, message: t('common.required') }]}>
          <TimePicker format="HH:mm" minuteStep={1} data-testid="request-time" />
        </Form.Item>
        <Form.Item name="reason" label={t('att.req.reason')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input.TextArea maxLength={500} rows={2} placeholder={t('att.req.reasonHint')} data-testid="request-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
