// 请假: the request form with the live check — working days on the center's calendar, the quota meter, the
// approval chain with the approvers' names, and the rules' problems under their fields. The server checks again on
// submit. A center admin may record an approved paper slip for a staff member (same checks).
import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/query';
import { Alert, App as AntApp, Button, Card, Col, DatePicker, Form, Input, Progress, Radio, Row, Select, Space, Steps, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { ApiError } from '../../api';
import { useI18n } from '../../i18n';
import { useApiError } from '../admin/shared';
import { leaveApi } from './leaveApi';
import type { CheckResult, Colleague, LeaveIn, LeaveMeta, LeaveView } from './leaveApi';
import { ScanUpload } from './uploads';

interface FormValues {
  staffId?: string;
  leaveType?: string;
  start?: Dayjs;
  startHalf: 'am' | 'pm';
  end?: Dayjs;
  endHalf: 'am' | 'pm';
  reason?: string;
  cover: 'staff' | 'external';
  substituteStaffId?: string;
  extName?: string;
  extPhone?: string;
  extUnit?: string;
  attachments?: string[];
  sickNote?: string[];
}

function toBody(v: FormValues): LeaveIn | null {
  if (!v.leaveType || !v.start) return null;
  const end = v.end ?? v.start;
  const external = v.cover === 'external' && v.extName && v.extPhone && v.extUnit
    ? { name: v.extName, phone: v.extPhone, unit: v.extUnit } : null;
  return {
    leaveType: v.leaveType,
    start: v.start.format('YYYY-MM-DD'),
    end: end.format('YYYY-MM-DD'),
    startHalf: v.startHalf,
    endHalf: v.endHalf,
    reason: (v.reason ?? '').trim() || '—',
    substituteStaffId: v.cover === 'staff' ? v.substituteStaffId ?? null : null,
    externalSubstitute: external,
    attachments: v.attachments ?? [],
    sickNoteFileId: v.sickNote?.[0] ?? null,
    staffId: v.staffId ?? null,
  };
}

function QuotaMeter({ check }: { check: CheckResult }) {
  const { t } = useI18n();
  const q = check.quota;
  if (!q) return null;
  if (!q.counts) return <Typography.Text type="secondary" data-testid="quota-meter">{t('leave.quota.exempt')}</Typography.Text>;
  if (q.maxDays === null || q.maxTimes === null) {
    return <Typography.Text data-testid="quota-meter">{t('leave.quota.none', { usedDays: q.usedDays, usedTimes: q.usedTimes })}</Typography.Text>;
  }
  const share = Math.max((q.usedDays + check.days) / Math.max(q.maxDays, 0.5), (q.usedTimes + 1) / Math.max(q.maxTimes, 1));
  return (
    <div data-testid="quota-meter">
      <Typography.Text>{t('leave.quota', { usedDays: q.usedDays, usedTimes: q.usedTimes, maxDays: q.maxDays, maxTimes: q.maxTimes })}</Typography.Text>
      <Progress percent={Math.min(100, Math.round(share * 100))} status={share > 1 ? 'exception' : 'normal'} showInfo={false} size="small" />
    </div>
  );
}

const NO_COLLEAGUES: Colleague[] = [];

export default function NewRequest({ tenantId, meta, onSubmitted }: { tenantId: string; meta: LeaveMeta; onSubmitted: (v: LeaveView) => void }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const [form] = Form.useForm<FormValues>();
  const colleagues: Colleague[] = useQuery({
    queryKey: keys.tenant(tenantId, 'leave', 'colleagues'),
    queryFn: ({ signal }) => leaveApi.colleagues(tenantId, signal),
  }).data ?? NO_COLLEAGUES;
  const [check, setCheck] = useState<CheckResult | null>(null);
  const [checking, setChecking] = useState(false);
  const [busy, setBusy] = useState(false);
  const timer = useRef<number>();
  const ctrl = useRef<AbortController>();
  const values = Form.useWatch([], form) as FormValues | undefined;


  const body = useMemo(() => (values ? toBody(values) : null), [values]);
  const key = JSON.stringify(body);
  useEffect(() => {
    window.clearTimeout(timer.current);
    if (!body) {
      setCheck(null);
      return;
    }
    timer.current = window.setTimeout(() => {
      ctrl.current?.abort();
      const c = new AbortController();
      ctrl.current = c;
      setChecking(true);
      leaveApi
        .check(tenantId, body, c.signal)
        .then((res) => {
          setCheck(res);
          // prefill the substitute with the AB partner once
          if (res.suggestedSubstituteId && !form.getFieldValue('substituteStaffId') && form.getFieldValue('cover') === 'staff') {
            form.setFieldValue('substituteStaffId', res.suggestedSubstituteId);
          }
        })
        .catch((err) => {
          if (!(err instanceof DOMException)) onError(err);
        })
        .finally(() => setChecking(false));
    }, 350);
    return () => window.clearTimeout(timer.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, tenantId]);

  const submit = async () => {
    const v = await form.validateFields();
    const b = toBody(v);
    if (!b) return;
    b.reason = (v.reason ?? '').trim();
    setBusy(true);
    try {
      const res = await leaveApi.submit(tenantId, b);
      message.success(t('leave.submitted'));
      form.resetFields();
      setCheck(null);
      onSubmitted(res);
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) {
        const map: Record<string, keyof FormValues> = { sickNoteFileId: 'sickNote' };
        form.setFields(err.fields.map((f) => ({ name: map[f.field] ?? (f.field as keyof FormValues), errors: [err.fieldMessage(f.field, lang) ?? ''] })));
      } else onError(err);
    } finally {
      setBusy(false);
    }
  };

  const problems = check?.problems ?? [];
  const fieldProblem = (field: string) => problems.filter((p) => p.field === field).map((p) => (lang === 'en' ? p.en : p.zh)).join('；') || undefined;
  const general = problems.filter((p) => !p.field || !['start', 'end', 'startHalf', 'leaveType', 'substituteStaffId', 'sickNoteFileId', 'attachments'].includes(p.field));
  const typeOptions = meta.leaveTypes.map((x) => ({ value: x.key, label: lang === 'en' ? x.nameEn : x.nameZh }));
  const halfOptions = [{ value: 'am', label: t('leave.half.am') }, { value: 'pm', label: t('leave.half.pm') }];
  const isSick = values?.leaveType === 'sick';

  return (
    <Row gutter={16}>
      <Col xs={24} lg={14}>
        <Card size="small" data-testid="leave-form">
          <Form form={form} layout="vertical" initialValues={{ startHalf: 'am', endHalf: 'pm', cover: 'staff' }}>
            {meta.canManage && (
              <Form.Item name="staffId" label={t('leave.forStaff')}>
                <Select allowClear showSearch optionFilterProp="label" data-testid="leave-for-staff"
                  options={colleagues.filter((c) => c.id !== meta.myStaffId).map((c) => ({ value: c.id, label: `${c.name}${c.departmentName ? `（${c.departmentName}）` : ''}` }))} />
              </Form.Item>
            )}
            <Form.Item name="leaveType" label={t('leave.type')} rules={[{ required: true, message: t('leave.type') }]} validateStatus={fieldProblem('leaveType') ? 'error' : undefined} help={fieldProblem('leaveType')}>
              <Select options={typeOptions} data-testid="leave-type" />
            </Form.Item>
            <Space wrap align="start">
              <Form.Item name="start" label={t('leave.start')} rules={[{ required: true, message: t('leave.start') }]}
                validateStatus={fieldProblem('start') || fieldProblem('startHalf') ? 'error' : undefined} help={fieldProblem('start') ?? fieldProblem('startHalf')}>
                <DatePicker data-testid="leave-start" onChange={(d) => { if (d && !form.getFieldValue('end')) form.setFieldValue('end', d); }} />
              </Form.Item>
              <Form.Item name="startHalf" label=" ">
                <Radio.Group options={halfOptions} optionType="button" data-testid="leave-start-half" />
              </Form.Item>
            </Space>
            <Space wrap align="start">
              <Form.Item name="end" label={t('leave.end')} validateStatus={fieldProblem('end') ? 'error' : undefined} help={fieldProblem('end')}
                rules={[{ validator: async (_, v?: Dayjs) => { const s = form.getFieldValue('start') as Dayjs | undefined; if (v && s && v.isBefore(s, 'day')) throw new Error(lang === 'en' ? 'The leave ends before it starts' : '结束日期早于开始日期'); } }]}>
                <DatePicker data-testid="leave-end" disabledDate={(d) => { const s = form.getFieldValue('start') as Dayjs | undefined; return !!s && d.isBefore(s, 'day'); }} />
              </Form.Item>
              <Form.Item name="endHalf" label=" ">
                <Radio.Group options={halfOptions} optionType="button" data-testid="leave-end-half" />
              </Form.Item>
            </Space>
            <Form.Item name="reason" label={t('leave.reason')} rules={[{ required: true, whitespace: true, message: t('leave.reason.required') }]}>
              <Input.TextArea rows={2} maxLength={500} showCount data-testid="leave-reason" />
            </Form.Item>
            <Form.Item name="cover" label={t('leave.substitute.kind')} extra={check?.substituteRequired ? t('leave.substitute.required') : undefined}>
              <Radio.Group options={[{ value: 'staff', label: t('leave.substitute.staff') }, { value: 'external', label: t('leave.substitute.external') }]} />
            </Form.Item>
            {values?.cover !== 'external' ? (
              <Form.Item name="substituteStaffId" label={t('leave.substitute')} validateStatus={fieldProblem('substituteStaffId') ? (problems.find((p) => p.field === 'substituteStaffId')?.severity === 'error' ? 'error' : 'warning') : undefined} help={fieldProblem('substituteStaffId')}
                extra={check?.suggestedSubstituteName ? t('leave.substitute.suggested', { name: check.suggestedSubstituteName }) : undefined}>
                <Select allowClear showSearch optionFilterProp="label" placeholder={t('leave.substitute.none')} data-testid="leave-substitute"
                  options={colleagues.filter((c) => c.id !== (values?.staffId ?? meta.myStaffId)).map((c) => ({ value: c.id, label: `${c.name}${c.departmentName ? `（${c.departmentName}）` : ''}` }))} />
              </Form.Item>
            ) : (
              <Space wrap align="start">
                <Form.Item name="extName" label={t('leave.external.name')} rules={[{ required: true, max: 100 }]}><Input /></Form.Item>
                <Form.Item name="extPhone" label={t('leave.external.phone')} rules={[{ required: true, pattern: /^[0-9+\- ]{3,32}$/ }]}><Input inputMode="tel" /></Form.Item>
                <Form.Item name="extUnit" label={t('leave.external.unit')} rules={[{ required: true, max: 200 }]}><Input /></Form.Item>
              </Space>
            )}
            {isSick && (
              <Form.Item name="sickNote" label={t('leave.sickNote')} help={fieldProblem('sickNoteFileId')} validateStatus={fieldProblem('sickNoteFileId') ? 'warning' : undefined}>
                <ScanUpload tenantId={tenantId} purpose="leave.sick_note" testId="leave-sick-note" />
              </Form.Item>
            )}
            <Form.Item name="attachments" label={t('leave.attachments')}>
              <ScanUpload tenantId={tenantId} purpose="leave.attachment" testId="leave-attachments" max={5} />
            </Form.Item>
            <Button type="primary" onClick={submit} loading={busy} disabled={check !== null && !check.ok} data-testid="leave-submit">
              {t('leave.submit')}
            </Button>
          </Form>
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        <Card size="small" loading={checking && !check} data-testid="leave-preview">
          {!check ? (
            <Typography.Text type="secondary">{t('leave.daysHint')}</Typography.Text>
          ) : (
            <Space direction="vertical" style={{ width: '100%' }}>
              <Typography.Title level={5} style={{ margin: 0 }} data-testid="leave-days">{t('leave.days', { days: check.days })}</Typography.Title>
              <Typography.Text type="secondary">{t('leave.daysHint')}</Typography.Text>
              <QuotaMeter check={check} />
              {general.length > 0 && (
                <Alert type={general.some((p) => p.severity === 'error') ? 'error' : 'warning'} showIcon data-testid="leave-problems"
                  message={general.map((p) => (lang === 'en' ? p.en : p.zh)).join('；')} />
              )}
              {check.chain.length > 0 && (
                <>
                  <Typography.Text strong>{t('leave.chain')}</Typography.Text>
                  <Steps direction="vertical" size="small" data-testid="leave-chain" current={-1}
                    items={Object.values(check.chain.reduce<Record<number, typeof check.chain>>((acc, s) => { (acc[s.seq] ??= []).push(s); return acc; }, {})).map((group) => ({
                      title: (
                        <Space wrap size={4}>
                          {group.map((s) => <span key={s.approver}>{lang === 'en' ? s.nameEn : s.nameZh}</span>)}
                          {group.length > 1 && <Tag color="purple">{t('leave.chain.together')}</Tag>}
                        </Space>
                      ),
                      description: group.map((s) => (s.outside ? t('leave.chain.outside') : (s.approvers ?? []).join('、') || t('leave.chain.nobody'))).join(' / '),
                    }))} />
                </>
              )}
            </Space>
          )}
        </Card>
      </Col>
    </Row>
  );
}

export { dayjs };
