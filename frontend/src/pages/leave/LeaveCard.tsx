// One leave request as a card: what, when, cover, the approval timeline, outcomes, and what the viewer may do
// (withdraw, cancel, 销假, approve/reject, record an outside approval with its scan). Phone-first.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/query';
import { Alert, App as AntApp, Button, Card, DatePicker, Form, Input, Modal, Popconfirm, Radio, Select, Space, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { ApiError } from '../../api';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n';
import { useApiError } from '../admin/shared';
import { leaveApi } from './leaveApi';
import type { Colleague, LeaveMeta, LeaveView, Step } from './leaveApi';
import { ScanUpload } from './uploads';

export const STATUS_COLOR: Record<string, string> = {
  pending: 'processing', approved: 'green', rejected: 'red', withdrawn: 'default', cancelled: 'default',
  closed: 'cyan', unclosed: 'volcano',
};
const DECISION_COLOR: Record<string, string> = { pending: 'gray', approved: 'green', rejected: 'red', skipped: 'gray' };

export function useLabels(meta: LeaveMeta | null) {
  const { t, lang } = useI18n();
  const typeName = (key: string) => {
    const opt = meta?.leaveTypes.find((x) => x.key === key);
    return opt ? (lang === 'en' ? opt.nameEn : opt.nameZh) : key;
  };
  const half = (h: string) => t(`leave.half.${h}` as MessageKey);
  const period = (v: LeaveView) =>
    v.start === v.end && v.startHalf === v.endHalf
      ? `${v.start} ${half(v.startHalf)}`
      : `${v.start} ${half(v.startHalf)} — ${v.actualEnd ?? v.end} ${half(v.actualEndHalf ?? v.endHalf)}`;
  const stepName = (s: Step) => (lang === 'en' ? s.nameEn : s.nameZh);
  return { typeName, half, period, stepName };
}

function StepsTimeline({ v }: { v: LeaveView }) {
  const { t } = useI18n();
  const { stepName } = useLabels(null);
  return (
    <Timeline
      style={{ marginTop: 12, marginBottom: -12 }}
      items={v.steps.map((s) => ({
        color: DECISION_COLOR[s.decision],
        children: (
          <div data-testid={`step-${s.approver}`}>
            <Space size={4} wrap>
              <Typography.Text strong>{stepName(s)}</Typography.Text>
              {s.mode === 'all_of' && <Tag color="purple">{t('leave.chain.together')}</Tag>}
              <Tag color={DECISION_COLOR[s.decision]}>{t(`leave.decision.${s.decision}` as MessageKey)}</Tag>
            </Space>
            <div>
              <Typography.Text type="secondary">
                {s.decidedByName
                  ? t('leave.decidedBy', { name: s.decidedByName, time: s.decidedAt ? dayjs(s.decidedAt).format('YYYY-MM-DD HH:mm') : '' })
                  : s.outside
                    ? t('leave.chain.outside')
                    : (s.approvers ?? []).join('、') || (s.decision === 'pending' ? t('leave.chain.nobody') : '')}
              </Typography.Text>
              {s.note ? <Typography.Text> · {s.note}</Typography.Text> : null}
            </div>
          </div>
        ),
      }))}
    />
  );
}

function CloseModal({ tenantId, v, meta, onDone, onCancel }: { tenantId: string; v: LeaveView; meta: LeaveMeta; onDone: (v: LeaveView) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const channels = meta.closureChannels.filter((c) => (c === 'app' ? v.staffId === meta.myStaffId : v.staffId !== meta.myStaffId));
  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      const end = values.actualEnd as Dayjs | undefined;
      const res = await leaveApi.close(tenantId, v.id, {
        channel: values.channel,
        actualEnd: end ? end.format('YYYY-MM-DD') : undefined,
        actualEndHalf: end ? values.actualEndHalf : undefined,
        sickNoteFileId: values.sickNote?.[0],
        note: values.note || undefined,
      });
      onDone(res);
    } catch (err) {
      if (err instanceof ApiError) {
        form.setFields(err.fields.map((f) => ({ name: f.field, errors: [err.fieldMessage(f.field, lang) ?? ''] })));
        if (!err.fields.length) form.setFields([{ name: 'channel', errors: [err.message(lang)] }]);
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('leave.close.title')} onOk={submit} onCancel={onCancel} confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'close-confirm' } as Record<string, string>}>
      <Form form={form} layout="vertical" initialValues={{ channel: channels[0], actualEndHalf: 'pm' }}>
        <Form.Item name="channel" label={t('leave.close.channel')} rules={[{ required: true }]}>
          <Radio.Group data-testid="close-channel">
            {channels.map((c) => (
              <Radio.Button key={c} value={c}>{t(`leave.channel.${c}` as MessageKey)}</Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        <Space wrap>
          <Form.Item name="actualEnd" label={t('leave.close.actualEnd')}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="actualEndHalf" label=" ">
            <Radio.Group options={[{ value: 'am', label: t('leave.half.am') }, { value: 'pm', label: t('leave.half.pm') }]} />
          </Form.Item>
        </Space>
        {v.leaveType === 'sick' && !v.sickNoteFileId && (
          <Form.Item name="sickNote" label={t('leave.sickNote')}>
            <ScanUpload tenantId={tenantId} purpose="leave.sick_note" testId="close-sick-note" />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('leave.note')}>
          <Input maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DecideBox({ tenantId, v, outside, stepId, onDone }: { tenantId: string; v: LeaveView; outside: boolean; stepId: string; onDone: (v: LeaveView) => void }) {
  const { t, lang } = useI18n();
  const onError = useApiError();
  const [note, setNote] = useState('');
  const [scan, setScan] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const decide = async (approve: boolean) => {
    if (outside && approve && !scan.length) {
      setProblem(t('leave.scan.required'));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      onDone(await leaveApi.decide(tenantId, v.id, { approve, note: note || undefined, scanFileId: scan[0], stepId }));
    } catch (err) {
      if (err instanceof ApiError && err.status < 500) setProblem(err.message(lang));
      else onError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%', marginTop: 8 }} data-testid={outside ? 'record-box' : 'decide-box'}>
      {outside && <Typography.Text strong>{t('leave.recordOutside')}：{v.steps.find((s) => s.id === stepId)?.[lang === 'en' ? 'nameEn' : 'nameZh']}</Typography.Text>}
      {outside && (
        <div>
          <Typography.Text>{t('leave.scan')}</Typography.Text>
          <ScanUpload tenantId={tenantId} purpose="leave.scan" value={scan} onChange={setScan} testId="scan-upload" />
        </div>
      )}
      <Input placeholder={t('leave.note')} value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} data-testid="decide-note" />
      {problem && <Alert type="error" showIcon message={problem} data-testid="decide-problem" />}
      <Space>
        <Button type="primary" loading={busy} onClick={() => decide(true)} data-testid={outside ? 'record-approve' : 'approve'}>
          {outside ? t('leave.recordOutside') : t('leave.approve')}
        </Button>
        <Popconfirm title={t('leave.reject')} onConfirm={() => decide(false)} okButtonProps={{ 'data-testid': 'reject-confirm' } as Record<string, string>}>
          <Button danger loading={busy} data-testid={outside ? 'record-reject' : 'reject'}>{t('leave.reject')}</Button>
        </Popconfirm>
      </Space>
    </Space>
  );
}

const COVER_COLOR: Record<string, string> = { pending: 'gold', confirmed: 'green', declined: 'red', registered: 'blue' };

function CoverBox({ tenantId, v, meta, onDone }: { tenantId: string; v: LeaveView; meta: LeaveMeta; onDone: (v: LeaveView) => void }) {
  const { t, lang } = useI18n();
  const { period } = useLabels(meta);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const colleaguesQuery = useQuery({
    queryKey: keys.tenant(tenantId, 'leave', 'colleagues'),
    queryFn: ({ signal }) => leaveApi.colleagues(tenantId, signal),
    enabled: editing,
    meta: { silent: true },
  });
  const colleagues: Colleague[] | null = colleaguesQuery.isError ? [] : colleaguesQuery.data ?? null;
  const [form] = Form.useForm();
  const mayRegister = meta.canManage || (meta.isChief && v.staffId !== meta.myStaffId);
  const run = async (fn: () => Promise<LeaveView>) => {
    setBusy(true);
    setProblem(null);
    try {
      onDone(await fn());
      setEditing(false);
    } catch (err) {
      setProblem(err instanceof ApiError ? err.message(lang) : String(err));
    } finally {
      setBusy(false);
    }
  };
  const openForm = () => {
    setEditing(true);
  };
  const save = async () => {
    const x = await form.validateFields();
    await run(() => leaveApi.nameSubstitute(tenantId, v.id, x.cover === 'external'
      ? { externalSubstitute: { name: x.extName, phone: x.extPhone, unit: x.extUnit }, note: x.note || undefined }
      : { substituteStaffId: x.staffId, note: x.note || undefined }));
  };
  if (v.canAnswerSubstitute) {
    return (
      <Space direction="vertical" style={{ width: '100%', marginTop: 8 }} data-testid="cover-box">
        <Alert type="info" showIcon message={t('leave.cover.ask', { name: v.staffName, period: period(v) })} />
        <Input placeholder={t('leave.note')} value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} data-testid="cover-note" />
        {problem && <Alert type="error" showIcon message={problem} />}
        <Space>
          <Button type="primary" loading={busy} data-testid="cover-confirm"
            onClick={() => run(() => leaveApi.answerSubstitute(tenantId, v.id, { confirm: true, note: note || undefined }))}>{t('leave.cover.confirm')}</Button>
          <Button danger loading={busy} data-testid="cover-decline"
            onClick={() => run(() => leaveApi.answerSubstitute(tenantId, v.id, { confirm: false, note: note || undefined }))}>{t('leave.cover.decline')}</Button>
        </Space>
      </Space>
    );
  }
  if (!v.canNameSubstitute) return null;
  if (!editing) {
    return (
      <Button size="small" style={{ marginTop: 8 }} onClick={openForm} data-testid="cover-edit">
        {mayRegister ? t('leave.cover.register') : t('leave.cover.name')}
      </Button>
    );
  }
  const others = (colleagues ?? []).filter((c) => c.id !== v.staffId);
  return (
    <Form form={form} layout="vertical" style={{ marginTop: 8 }} data-testid="cover-form"
      initialValues={{ cover: mayRegister ? 'external' : 'staff', extName: v.externalSubstitute?.name, extPhone: v.externalSubstitute?.phone, extUnit: v.externalSubstitute?.unit }}>
      {mayRegister && (
        <Form.Item name="cover" label={t('leave.substitute.kind')}>
          <Radio.Group options={[{ value: 'staff', label: t('leave.substitute.staff') }, { value: 'external', label: t('leave.substitute.external') }]} />
        </Form.Item>
      )}
      <Form.Item noStyle shouldUpdate>
        {({ getFieldValue }) => (getFieldValue('cover') === 'external' ? (
          <Space wrap>
            <Form.Item name="extName" label={t('leave.external.name')} rules={[{ required: true, max: 100 }]}><Input data-testid="cover-ext-name" /></Form.Item>
            <Form.Item name="extPhone" label={t('leave.external.phone')} rules={[{ required: true, pattern: /^[0-9+\- ]{3,32}$/ }]}><Input inputMode="tel" data-testid="cover-ext-phone" /></Form.Item>
            <Form.Item name="extUnit" label={t('leave.external.unit')} rules={[{ required: true, max: 200 }]}><Input data-testid="cover-ext-unit" /></Form.Item>
          </Space>
        ) : (
          <Form.Item name="staffId" label={t('leave.substitute')} rules={[{ required: true }]}>
            <Select showSearch optionFilterProp="label" loading={!colleagues} data-testid="cover-staff" style={{ minWidth: 200 }}
              options={others.map((c) => ({ value: c.id, label: c.departmentName ? `${c.name}（${c.departmentName}）` : c.name }))} />
          </Form.Item>
        ))}
      </Form.Item>
      <Form.Item name="note" label={t('leave.note')}><Input maxLength={500} /></Form.Item>
      {problem && <Alert type="error" showIcon message={problem} style={{ marginBottom: 8 }} data-testid="cover-problem" />}
      <Space>
        <Button type="primary" loading={busy} onClick={save} data-testid="cover-save">{t('leave.cover.save')}</Button>
        <Button onClick={() => setEditing(false)}>{t('common.cancel')}</Button>
      </Space>
    </Form>
  );
}

export default function LeaveCard({ tenantId, v, meta, onChange }: { tenantId: string; v: LeaveView; meta: LeaveMeta; onChange: (v: LeaveView) => void }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const { typeName, period } = useLabels(meta);
  const [closing, setClosing] = useState(false);
  const act = async (fn: () => Promise<LeaveView>) => {
    try {
      onChange(await fn());
      message.success(t('leave.done'));
    } catch (err) {
      onError(err);
    }
  };
  const sub = v.substituteName ?? (v.externalSubstitute ? `${v.externalSubstitute.name}（${v.externalSubstitute.unit} ${v.externalSubstitute.phone}）` : null);
  const phase = v.status === 'approved' ? v.phase : null;
  return (
    <Card
      size="small"
      data-testid={`leave-${v.id}`}
      title={
        <Space wrap size={4}>
          <span>{v.staffName}</span>
          <Tag>{typeName(v.leaveType)}{v.originalType ? ` ← ${typeName(v.originalType)}` : ''}</Tag>
          <Tag color={STATUS_COLOR[v.status]} data-testid="leave-status">{t(`leave.status.${v.status}` as MessageKey)}</Tag>
          {phase && phase !== v.status && <Tag>{t(`leave.phase.${phase}` as MessageKey)}</Tag>}
        </Space>
      }
      extra={<Typography.Text type="secondary">{v.days}{lang === 'en' ? ' d' : ' 天'}</Typography.Text>}
      style={{ marginBottom: 12 }}
    >
      <Typography.Paragraph style={{ marginBottom: 4 }}>
        <Typography.Text strong>{period(v)}</Typography.Text>
        {v.departmentName ? <Typography.Text type="secondary"> · {v.departmentName}</Typography.Text> : null}
      </Typography.Paragraph>
      <Typography.Paragraph style={{ marginBottom: 4 }}>{v.reason}</Typography.Paragraph>
      {sub && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
          {t('leave.substitute')}：{sub}
          {v.substituteStatus !== 'none' && (v.substituteStatus !== 'pending' || v.status === 'pending' || v.status === 'approved') && (
            <Tag color={COVER_COLOR[v.substituteStatus]} style={{ marginLeft: 6 }} data-testid="cover-status" data-status={v.substituteStatus}>
              {t(`leave.cover.status.${v.substituteStatus}` as MessageKey)}
            </Tag>
          )}
          {v.substituteNote ? <Typography.Text type="secondary"> · {v.substituteNote}</Typography.Text> : null}
        </Typography.Paragraph>
      )}
      {v.status === 'pending' && v.coverRule === 'block' && v.substituteStatus !== 'confirmed' && v.substituteStatus !== 'registered' && (
        <Alert type="warning" showIcon style={{ marginTop: 4, marginBottom: 4 }} message={t('leave.cover.waits')} data-testid="cover-waits" />
      )}
      {v.closureDue && (v.status === 'approved' || v.status === 'unclosed') && (
        <Typography.Paragraph type={v.phase === 'overdue' ? 'danger' : 'secondary'} style={{ marginBottom: 4 }}>
          {t('leave.close.due', { date: v.closureDue })}
        </Typography.Paragraph>
      )}
      {v.recordedPaper && <Tag color="gold">{t('leave.paper')}</Tag>}
      {v.warnings.length > 0 && v.status === 'pending' && (
        <Alert type="warning" showIcon style={{ marginTop: 8 }} message={v.warnings.map((w) => (lang === 'en' ? w.en : w.zh)).join('；')} />
      )}
      {v.outcomes.length > 0 && (
        <Alert type="error" showIcon style={{ marginTop: 8 }} data-testid="leave-outcomes"
          message={t('leave.outcomes')}
          description={v.outcomes.map((o) => `${lang === 'en' ? o.en : o.zh}（${o.clause}）`).join('；')} />
      )}
      <StepsTimeline v={v} />
      <CoverBox tenantId={tenantId} v={v} meta={meta} onDone={(nv) => { onChange(nv); message.success(t('leave.done')); }} />
      {v.canDecide && v.decideStepId && (
        <DecideBox tenantId={tenantId} v={v} outside={false} stepId={v.decideStepId} onDone={(nv) => { onChange(nv); message.success(t('leave.done')); }} />
      )}
      {v.canRecordOutside && v.recordStepId && (
        <DecideBox tenantId={tenantId} v={v} outside stepId={v.recordStepId} onDone={(nv) => { onChange(nv); message.success(t('leave.done')); }} />
      )}
      <Space wrap style={{ marginTop: 8 }}>
        {v.canWithdraw && (
          <Popconfirm title={t('leave.confirm.withdraw')} onConfirm={() => act(() => leaveApi.withdraw(tenantId, v.id))}>
            <Button size="small" data-testid="withdraw">{t('leave.withdraw')}</Button>
          </Popconfirm>
        )}
        {v.canCancel && (
          <Popconfirm title={t('leave.confirm.cancel')} onConfirm={() => act(() => leaveApi.cancel(tenantId, v.id))}>
            <Button size="small" danger data-testid="cancel-leave">{t('leave.cancel')}</Button>
          </Popconfirm>
        )}
        {v.canClose && (
          <Button size="small" type="primary" ghost onClick={() => setClosing(true)} data-testid="close-leave">{t('leave.close')}</Button>
        )}
      </Space>
      {closing && (
        <CloseModal tenantId={tenantId} v={v} meta={meta} onCancel={() => setClosing(false)}
          onDone={(nv) => { setClosing(false); onChange(nv); message.success(t('leave.done')); }} />
      )}
    </Card>
  );
}

export function StatusSelect({ value, onChange }: { value?: string; onChange: (v?: string) => void }) {
  const { t } = useI18n();
  return (
    <Select allowClear placeholder={t('leave.filter.status')} style={{ minWidth: 120 }} value={value} onChange={onChange} data-testid="filter-status"
      options={['pending', 'approved', 'rejected', 'withdrawn', 'cancelled', 'closed', 'unclosed'].map((s) => ({ value: s, label: t(`leave.status.${s}` as MessageKey) }))} />
  );
}
