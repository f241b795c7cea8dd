// /complaints (投诉): the ledger with countdowns, the intake form, the complaint's timeline and actions, the
// printable 投诉办理单, the protected identity (intake office only), and the monthly summary.
import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { keys } from '../../api/query';
import {
  Alert, App as AntApp, Button, Card, Checkbox, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Modal,
  Select, Space, Spin, Statistic, Table, Tabs, Tag, Timeline, Typography,
} from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n';
import { useAll, useApiError } from '../admin/shared';
import { complaintsApi } from './complaintsApi';
import type { Complaint, ComplaintIn, ComplaintMeta, StepIn, Summary } from './complaintsApi';
import './complaints.css';

const STATUS_COLOR: Record<string, string> = {
  received: 'default', registered: 'blue', reviewed: 'geekblue', assigned: 'cyan', investigating: 'processing',
  concluded: 'purple', replied: 'green', feedback: 'green', closed: 'default',
};

export function fmt(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—';
}

function Due({ c }: { c: Complaint }) {
  const { t } = useI18n();
  return <Space size={4}><span>{fmt(c.dueAt)}</span>{c.overdue && <Tag color="red" data-testid="cp-overdue">{t('cp.overdue')}</Tag>}</Space>;
}

function NewComplaint({ tenantId, meta, onDone }: { tenantId: string; meta: ComplaintMeta; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const [form] = Form.useForm();
  const anonymous = Form.useWatch('anonymous', form);
  const staff = useAll('/api/t/{tenant_id}/staff', tenantId);
  const windows = useAll('/api/t/{tenant_id}/windows', tenantId);
  const depts = useAll('/api/t/{tenant_id}/departments', tenantId);
  const submit = async (v: Record<string, unknown>) => {
    try {
      const c = await complaintsApi.receive(tenantId, { ...v, complainantName: v.anonymous ? undefined : v.complainantName || undefined,
        complainantContact: v.anonymous ? '' : v.complainantContact || '' } as ComplaintIn);
      message.success(t('cp.received', { number: c.number, due: fmt(c.dueAt) }));
      form.resetFields();
      onDone();
    } catch (err) {
      onError(err, form);
    }
  };
  return (
    <Card style={{ maxWidth: 720 }}>
      <Form form={form} layout="vertical" onFinish={submit} data-testid="cp-form"
        initialValues={{ channel: meta.channels[0], classKey: meta.classes[0]?.key, level: 'center', departments: 1, anonymous: false }}>
        <Space wrap>
          <Form.Item name="channel" label={t('cp.channel')} rules={[{ required: true }]}>
            <Select style={{ width: 160 }} data-testid="cp-channel" options={meta.channels.map((c) => ({ value: c, label: t(`cp.channel.${c}` as MessageKey) }))} />
          </Form.Item>
          <Form.Item name="classKey" label={t('cp.class')} rules={[{ required: true }]}>
            <Select style={{ width: 220 }} data-testid="cp-class" options={meta.classes.map((c) => ({ value: c.key, label: `${c.name}（${c.amount}${t(`cp.unit.${c.unit === 'minutes' ? 'hours' : c.unit}` as MessageKey)}）` }))} />
          </Form.Item>
          <Form.Item name="level" label={t('cp.level')}>
            <Select style={{ width: 150 }} options={['center', 'city', 'province'].map((l) => ({ value: l, label: t(`cp.level.${l}` as MessageKey) }))} />
          </Form.Item>
          <Form.Item name="departments" label={t('cp.departments')}>
            <InputNumber min={1} max={50} data-testid="cp-departments" />
          </Form.Item>
        </Space>
        <Form.Item name="subject" label={t('cp.subject')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={200} data-testid="cp-subject" />
        </Form.Item>
        <Form.Item name="problem" label={t('cp.problem')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
        <Form.Item name="demand" label={t('cp.demand')}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
        <Space wrap>
          <Form.Item name="staffId" label={t('cp.staff')}>
            <Select allowClear showSearch optionFilterProp="label" style={{ width: 180 }} options={staff.items.map((s) => ({ value: s.id, label: s.name }))} />
          </Form.Item>
          <Form.Item name="windowId" label={t('cp.window')}>
            <Select allowClear style={{ width: 180 }} options={windows.items.map((s) => ({ value: s.id, label: s.name }))} />
          </Form.Item>
          <Form.Item name="departmentId" label={t('cp.department')}>
            <Select allowClear style={{ width: 180 }} options={depts.items.map((s) => ({ value: s.id, label: s.name }))} />
          </Form.Item>
        </Space>
        {meta.anonymousAllowed && (
          <Form.Item name="anonymous" valuePropName="checked"><Checkbox data-testid="cp-anonymous">{t('cp.anonymous')}</Checkbox></Form.Item>
        )}
        {!anonymous && (
          <Space wrap>
            <Form.Item name="complainantName" label={t('cp.name')}><Input maxLength={50} autoComplete="off" data-testid="cp-name" /></Form.Item>
            <Form.Item name="complainantContact" label={t('cp.contact')}><Input maxLength={100} autoComplete="off" style={{ width: 260 }} /></Form.Item>
          </Space>
        )}
        <Typography.Paragraph type="secondary">{t('cp.identityNote')}</Typography.Paragraph>
        <Button type="primary" htmlType="submit" data-testid="cp-submit">{t('cp.submit')}</Button>
      </Form>
    </Card>
  );
}

function Actions({ tenantId, c, meta, onChange }: { tenantId: string; c: Complaint; meta: ComplaintMeta; onChange: (c: Complaint) => void }) {
  const { t } = useI18n();
  const onError = useApiError();
  const [form] = Form.useForm();
  const [action, setAction] = useState<string | null>(null);
  const next: Record<string, string[]> = {
    received: ['register'], registered: ['review'], reviewed: ['assign'], assigned: ['investigate'],
    investigating: ['conclude'], concluded: ['reply'], replied: ['feedback', 'close'], feedback: ['close'],
  };
  const open = ['received', 'registered', 'reviewed', 'assigned', 'investigating', 'concluded'].includes(c.status);
  const acts = [...(next[c.status] ?? []), ...(open ? ['extend'] : [])].filter((a) => (a === 'review' ? meta.canReview : meta.canHandle));
  const run = async (v: Record<string, unknown>) => {
    try {
      const out = action === 'review'
        ? await complaintsApi.review(tenantId, c.id, String(v.note ?? ''))
        : await complaintsApi.step(tenantId, c.id, { action, ...v, note: v.note ?? '' } as StepIn);
      setAction(null);
      form.resetFields();
      onChange(out);
    } catch (err) {
      onError(err, form);
    }
  };
  if (!acts.length) return null;
  return (
    <>
      <Space wrap>
        {acts.map((a) => (
          <Button key={a} type={a === 'extend' ? 'default' : 'primary'} onClick={() => setAction(a)} data-testid={`cp-act-${a}`}>
            {t(`cp.act.${a}` as MessageKey)}
          </Button>
        ))}
      </Space>
      <Modal open={action !== null} title={action ? t(`cp.act.${action}` as MessageKey) : ''} onCancel={() => setAction(null)}
        onOk={() => form.submit()} okButtonProps={{ 'data-testid': 'cp-act-ok' } as Record<string, string>} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={run}>
          {action === 'assign' && (
            <Form.Item name="assignedTo" label={t('cp.act.assign')} rules={[{ required: true }]}>
              <Select options={['window', 'back_office', 'discipline', 'judicial'].map((x) => ({ value: x, label: t(`cp.assignee.${x}` as MessageKey) }))} />
            </Form.Item>
          )}
          {action === 'conclude' && (
            <Form.Item name="conclusion" label={t('cp.act.conclude')} rules={[{ required: true }]}>
              <Select data-testid="cp-conclusion" options={['substantiated', 'partly', 'unsubstantiated'].map((x) => ({ value: x, label: t(`cp.conclusion.${x}` as MessageKey) }))} />
            </Form.Item>
          )}
          {action === 'reply' && (
            <Form.Item name="replyChannel" label={t('cp.channel')} rules={[{ required: true }]} extra={c.replyInWriting ? t('cp.writtenReply') : undefined}>
              <Select options={['in_person', 'phone', 'letter', 'web'].map((x) => ({ value: x, label: t(`cp.channel.${x}` as MessageKey) }))} />
            </Form.Item>
          )}
          {action === 'feedback' && (
            <Form.Item name="feedback" label={t('cp.act.feedback')} rules={[{ required: true }]}>
              <Select options={['satisfied', 'basically', 'unsatisfied'].map((x) => ({ value: x, label: t(`cp.feedback.${x}` as MessageKey) }))} />
            </Form.Item>
          )}
          {action === 'extend' && (
            <Space>
              <Form.Item name="extendAmount" label={t('cp.extendAmount')} rules={[{ required: true }]}><InputNumber min={1} max={365} /></Form.Item>
              <Form.Item name="extendUnit" label=" " initialValue="working_days">
                <Select style={{ width: 120 }} options={['hours', 'days', 'working_days'].map((x) => ({ value: x, label: t(`cp.unit.${x}` as MessageKey) }))} />
              </Form.Item>
            </Space>
          )}
          <Form.Item name="note" label={t('cp.note')} rules={action === 'review' || action === 'conclude' || action === 'extend' ? [{ required: true, whitespace: true }] : []}>
            <Input.TextArea rows={3} maxLength={2000} data-testid="cp-note" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function Detail({ tenantId, id, meta, onChange }: { tenantId: string; id: string; meta: ComplaintMeta; onChange: () => void }) {
  const { t } = useI18n();
  const onError = useApiError();
  const queryClient = useQueryClient();
  const oneKey = keys.tenant(tenantId, 'complaints', 'one', id);
  const c: Complaint | null = useQuery({
    queryKey: oneKey,
    queryFn: ({ signal }) => complaintsApi.one(tenantId, id, signal),
  }).data ?? null;
  const setC = (x: Complaint) => queryClient.setQueryData(oneKey, x);
  const [who, setWho] = useState<{ name: string; contact: string } | null>(null);
  const [print, setPrint] = useState(false);
  if (!c) return <Spin />;
  const identity = c.anonymous ? t('cp.anonymous') : who ? `${who.name}　${who.contact}` : t('cp.protected');
  const showWho = async () => {
    try { setWho(await complaintsApi.identity(tenantId, c.id)); } catch (err) { onError(err); }
  };
  const rows = (
    <Descriptions column={1} size="small" bordered>
      <Descriptions.Item label={t('cp.number')}>{c.number}</Descriptions.Item>
      <Descriptions.Item label={t('cp.receivedAt')}>{fmt(c.receivedAt)}（{t(`cp.channel.${c.channel}` as MessageKey)}）</Descriptions.Item>
      <Descriptions.Item label={t('cp.class')}>{c.className}（{c.deadline}；{c.clause}）</Descriptions.Item>
      <Descriptions.Item label={t('cp.due')}><Due c={c} />{c.extended ? ` ${c.extensionNote ?? ''}` : ''}</Descriptions.Item>
      <Descriptions.Item label={t('cp.name')}>
        <span data-testid="cp-identity">{identity}</span>
        {meta.canSeeIdentity && c.identityProtected && !who && <Button size="small" type="link" onClick={showWho} data-testid="cp-show-identity">{t('cp.showIdentity')}</Button>}
      </Descriptions.Item>
      <Descriptions.Item label={t('cp.target')}>{[c.departmentName, c.windowName, c.staffName].filter(Boolean).join(' / ') || '—'}</Descriptions.Item>
      <Descriptions.Item label={t('cp.subject')}>{c.subject}</Descriptions.Item>
      <Descriptions.Item label={t('cp.problem')}>{c.problem || '—'}</Descriptions.Item>
      <Descriptions.Item label={t('cp.demand')}>{c.demand || '—'}</Descriptions.Item>
      <Descriptions.Item label={t('cp.act.review')}>{c.reviewNote ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('cp.act.conclude')}>
        {c.conclusion ? `${t(`cp.conclusion.${c.conclusion}` as MessageKey)}：${c.opinion ?? ''}` : '—'}
        {c.personViolationId ? <Tag color="red" style={{ marginLeft: 8 }}>{t('cp.violation')}</Tag> : null}
      </Descriptions.Item>
      {c.conclusion && c.conclusion !== 'unsubstantiated' && (
        <Descriptions.Item label={t('cp.windowPoints')}>{c.windowZeroes ? '此项不得分' : c.windowPoints}；{t('cp.reward')} {c.rewardYuan}</Descriptions.Item>
      )}
    </Descriptions>
  );
  return (
    <div data-testid="cp-detail">
      <Space style={{ marginBottom: 12 }} wrap>
        <Tag color={STATUS_COLOR[c.status]} data-testid="cp-status">{t(`cp.status.${c.status}` as MessageKey)}</Tag>
        <Button size="small" onClick={() => setPrint(true)} data-testid="cp-print">{t('cp.print')}</Button>
      </Space>
      {rows}
      <div style={{ margin: '12px 0' }}><Actions tenantId={tenantId} c={c} meta={meta} onChange={(x) => { setC(x); onChange(); }} /></div>
      <Typography.Title level={5}>{t('cp.timeline')}</Typography.Title>
      <Timeline items={(c.events ?? []).map((e) => ({ children: `${fmt(e.at)} ${t(`cp.act.${e.action}` as MessageKey)} ${e.byName}${e.note ? `：${e.note}` : ''}` }))} />
      <Modal open={print} onCancel={() => setPrint(false)} width={760} footer={<Button type="primary" onClick={() => window.print()}>{t('cs.print')}</Button>}>
        <div className="print-sheet" data-testid="cp-print-sheet">
          <h2 style={{ textAlign: 'center' }}>{t('cp.form.title')}</h2>
          <p style={{ textAlign: 'right' }}>{c.intakeOffice}　{t('cp.number')}：{c.number}</p>
          {rows}
        </div>
      </Modal>
    </div>
  );
}

function ListTab({ tenantId, meta, reloadKey }: { tenantId: string; meta: ComplaintMeta; reloadKey: number }) {
  const { t } = useI18n();
  const [month, setMonth] = useState<Dayjs | null>(null);
  const [status, setStatus] = useState<string>();
  const [open, setOpen] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const m = month?.format('YYYY-MM');
  const rows: Complaint[] | null = useQuery({
    queryKey: keys.tenant(tenantId, 'complaints', 'list', m, status),
    queryFn: ({ signal }) => complaintsApi.list(tenantId, m, status, signal),
  }).data ?? null;
  const load = () => void queryClient.invalidateQueries({ queryKey: keys.tenant(tenantId, 'complaints', 'list') });
  // the page asks for a reload (a complaint was received) by bumping reloadKey
  useEffect(() => {
    if (reloadKey) void queryClient.invalidateQueries({ queryKey: keys.tenant(tenantId, 'complaints', 'list') });
  }, [reloadKey, tenantId, queryClient]);
  return (
    <div data-testid="cp-list">
      <Space wrap style={{ marginBottom: 12 }}>
        <DatePicker picker="month" value={month} onChange={setMonth} />
        <Select allowClear style={{ width: 160 }} placeholder={t('cp.status')} value={status} onChange={setStatus}
          options={['overdue', 'received', 'registered', 'reviewed', 'assigned', 'investigating', 'concluded', 'replied', 'feedback', 'closed']
            .map((s) => ({ value: s, label: s === 'overdue' ? t('cp.overdue') : t(`cp.status.${s}` as MessageKey) }))} />
      </Space>
      <Table<Complaint> rowKey="id" size="small" loading={rows === null} dataSource={rows ?? []} scroll={{ x: 800 }}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('cp.number'), dataIndex: 'number', render: (v: string) => <span data-testid="cp-row-number">{v}</span> },
          { title: t('cp.receivedAt'), render: (_, r) => fmt(r.receivedAt) },
          { title: t('cp.class'), dataIndex: 'className' },
          { title: t('cp.subject'), dataIndex: 'subject' },
          { title: t('cp.target'), render: (_, r) => r.windowName ?? r.departmentName ?? '—' },
          { title: t('cp.due'), render: (_, r) => <span data-testid="cp-row-due">{fmt(r.dueAt)}</span> },
          { title: t('cp.status'), render: (_, r) => (
            <Space size={2}>
              <Tag color={STATUS_COLOR[r.status]}>{t(`cp.status.${r.status}` as MessageKey)}</Tag>
              {r.overdue && <Tag color="red">{t('cp.overdue')}</Tag>}
            </Space>
          ) },
        ]} />
      <Drawer open={open !== null} onClose={() => setOpen(null)} width={Math.min(640, window.innerWidth)} title={t('cp.form.title')} destroyOnHidden>
        {open && <Detail tenantId={tenantId} id={open} meta={meta} onChange={load} />}
      </Drawer>
    </div>
  );
}

function SummaryTab({ tenantId }: { tenantId: string }) {
  const { t } = useI18n();
  const [month, setMonth] = useState<Dayjs>(dayjs().startOf('month'));
  const sm = month.format('YYYY-MM');
  const s: Summary | null = useQuery({
    queryKey: keys.tenant(tenantId, 'complaints', 'summary', sm),
    queryFn: ({ signal }) => complaintsApi.summary(tenantId, sm, signal),
  }).data ?? null;
  return (
    <div data-testid="cp-summary">
      <Space style={{ marginBottom: 12 }}>
        <DatePicker picker="month" allowClear={false} value={month} onChange={(v) => v && setMonth(v)} />
        <Button href={complaintsApi.summaryXlsx(tenantId, month.format('YYYY-MM'))}>{t('cp.summary.export')}</Button>
      </Space>
      {s && (
        <>
          <Space size="large" wrap style={{ marginBottom: 16 }}>
            <Statistic title={t('cp.summary.total')} value={s.total} />
            <Statistic title={t('cp.summary.substantiated')} value={s.substantiated} />
            <Statistic title={t('cp.summary.partly')} value={s.partly} />
            <Statistic title={t('cp.summary.unsubstantiated')} value={s.unsubstantiated} />
            <Statistic title={t('cp.summary.overdue')} value={s.overdue} />
            <Statistic title={t('cp.summary.onTime')} value={s.repliedOnTime} />
            <Statistic title={t('cp.reward')} value={s.rewardsYuan} />
          </Space>
          <Typography.Title level={5}>{t('cp.summary.byWindow')}</Typography.Title>
          <Table rowKey="key" size="small" pagination={false} dataSource={s.byWindow} locale={{ emptyText: t('cp.empty') }}
            columns={[{ title: t('cp.window'), dataIndex: 'name' }, { title: t('cp.summary.total'), dataIndex: 'count' },
              { title: t('cp.summary.substantiated'), dataIndex: 'substantiated' },
              { title: t('cp.windowPoints'), render: (_, r) => (r.zeroed ? '此项不得分' : r.points) }]} />
        </>
      )}
    </div>
  );
}

export default function ComplaintsPage() {
  const { me } = useAuth();
  const { t, lang } = useI18n();

  const [tab, setTab] = useState('list');
  const [tick, setTick] = useState(0);
  const tenantId = me ? String(me.tenant.id) : '';
  const metaQuery = useQuery({
    queryKey: keys.tenant(tenantId, 'complaints', 'meta'),
    queryFn: ({ signal }) => complaintsApi.meta(tenantId, signal),
    enabled: !!tenantId,
    meta: { silent: true }, // the page says why itself
  });
  const meta: ComplaintMeta | null = metaQuery.data ?? null;
  const problem: string | null = metaQuery.error ? metaQuery.error.message(lang) : null;
  if (problem) return <Alert type="warning" showIcon message={problem} />;
  if (!meta) return <Spin />;
  const tabs = [
    { key: 'list', label: t('cp.tab.list'), children: <ListTab tenantId={tenantId} meta={meta} reloadKey={tick} /> },
    ...(meta.canReceive ? [{ key: 'new', label: t('cp.tab.new'), children: <NewComplaint tenantId={tenantId} meta={meta} onDone={() => { setTick((n) => n + 1); setTab('list'); }} /> }] : []),
    { key: 'summary', label: t('cp.tab.summary'), children: <SummaryTab tenantId={tenantId} /> },
  ];
  return (
    <div data-testid="page-complaints">
      <Typography.Paragraph type="secondary">{meta.intakeOffice}</Typography.Paragraph>
      <Tabs activeKey={tab} onChange={setTab} items={tabs} destroyOnHidden />
    </div>
  );
}
