// /cases (办件): the window desk (log a case in seconds, print its numbered notice), the overdue board with
// countdowns and yellow/red cards, the ledger, the service items and the platform's case events (imports).
import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { keys } from '../../api/query';
import {
  Alert, App as AntApp, Button, Card, Checkbox, Descriptions, Drawer, Form, Input, Modal, Select, Space, Spin, Table,
  Tabs, Tag, Typography, Upload,
} from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { ApiError } from '../../api';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n';
import { useApiError } from '../admin/shared';
import { durationText } from '../../components/duration';
import { fmt } from '../complaints/ComplaintsPage';
import '../complaints/complaints.css';
import { casesApi } from './casesApi';
import type { Board, CaseIn, PauseKind, CaseView, ImportReport, Notice, ServiceItem } from './casesApi';

function Remaining({ c }: { c: CaseView }) {
  const { t, lang } = useI18n();
  if (c.completedAt) return <Tag>{fmt(c.completedAt)}</Tag>;
  const text = durationText(c.remainingMinutes, lang);
  const color = c.card === 'red' ? 'red' : c.card === 'yellow' ? 'gold' : c.remainingMinutes < 1440 ? 'orange' : 'green';
  return (
    <Space size={4}>
      <Tag color={color} data-testid="cs-remaining">{c.remainingMinutes < 0 ? t('cs.overdueBy', { time: text }) : text}</Tag>
      {c.paused && <Tag>{t('cs.paused')}</Tag>}
    </Space>
  );
}

function CardTag({ c }: { c: CaseView }) {
  const { t } = useI18n();
  if (!c.card) return null;
  return <Tag color={c.card === 'red' ? 'red' : 'gold'} data-testid={`cs-card-${c.card}`}>{t(`cs.card.${c.card}` as MessageKey)} −{c.cardPoints}</Tag>;
}

export function NoticeSheet({ n }: { n: Notice }) {
  const { t } = useI18n();
  const b = n.body as Record<string, string | string[] | number | null>;
  return (
    <div className="print-sheet" data-testid="cs-notice-sheet">
      <h2 style={{ textAlign: 'center' }}>{String(b.center ?? '')}</h2>
      <h3 style={{ textAlign: 'center' }}>{n.title}</h3>
      <p style={{ textAlign: 'right' }} data-testid="cs-notice-number">{n.number}</p>
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('cs.number')}>{String(b.caseNumber ?? '')}</Descriptions.Item>
        <Descriptions.Item label={t('cs.applicant')}>{String(b.applicant || '—')}</Descriptions.Item>
        <Descriptions.Item label={t('cs.item')}>{String(b.item ?? '')}（{String(b.itemCode ?? '')}，{String(b.caseType ?? '')}）</Descriptions.Item>
        <Descriptions.Item label={t('cs.accepted')}>{String(b.acceptedAt ?? '')}</Descriptions.Item>
        <Descriptions.Item label={t('cs.due')}>{String(b.dueAt ?? '')}（{t('cs.promisedDays')} {String(b.promisedDays ?? '')}）</Descriptions.Item>
        {Array.isArray(b.materials) && b.materials.length > 0 && (
          <Descriptions.Item label={t('cs.materials')}>{(b.materials as string[]).map((m, i) => <div key={i}>{i + 1}. {m}</div>)}</Descriptions.Item>
        )}
        <Descriptions.Item label={t('cs.clerk')}>{String(b.clerk || '—')}</Descriptions.Item>
        <Descriptions.Item label={t('cs.issuedOn')}>{String(b.issuedOn ?? '')}</Descriptions.Item>
      </Descriptions>
    </div>
  );
}

function NoticeButton({ tenantId, c, onIssued }: { tenantId: string; c: CaseView; onIssued?: () => void }) {
  const { t } = useI18n();
  const onError = useApiError();
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState(c.caseType === 'promised' ? 'promise' : 'acceptance');
  const [materials, setMaterials] = useState('');
  const [notice, setNotice] = useState<Notice | null>(null);
  const issue = async () => {
    try {
      setNotice(await casesApi.notice(tenantId, c.id, kind, materials.split('\n').map((x) => x.trim()).filter(Boolean)));
      onIssued?.();
    } catch (err) {
      onError(err);
    }
  };
  return (
    <>
      <Button size="small" onClick={() => { setNotice(null); setOpen(true); }} data-testid="cs-notice">{t('cs.notice')}</Button>
      <Modal open={open} onCancel={() => setOpen(false)} width={720} title={t('cs.notice')}
        footer={notice ? <Button type="primary" onClick={() => window.print()} data-testid="cs-print">{t('cs.print')}</Button>
          : <Button type="primary" onClick={issue} data-testid="cs-issue">{t('cs.notice')}</Button>}>
        {notice ? <NoticeSheet n={notice} /> : (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Select value={kind} onChange={setKind} style={{ width: 220 }} data-testid="cs-notice-kind"
              options={['acceptance', 'promise', 'one_time', 'supplement'].map((k) => ({ value: k, label: t(`cs.notice.${k}` as MessageKey) }))} />
            {(kind === 'one_time' || kind === 'supplement') && (
              <Input.TextArea rows={4} placeholder={t('cs.materials')} value={materials} onChange={(e) => setMaterials(e.target.value)} />
            )}
          </Space>
        )}
      </Modal>
    </>
  );
}

function Desk({ tenantId, items, onLogged }: { tenantId: string; items: ServiceItem[]; onLogged: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const [form] = Form.useForm();
  const [last, setLast] = useState<CaseView | null>(null);
  const submit = async (v: Record<string, unknown>) => {
    try {
      const c = await casesApi.log(tenantId, { ...v, applicant: v.applicant || undefined } as CaseIn);
      setLast(c);
      message.success(t('cs.logged', { number: c.number, due: fmt(c.dueAt) }));
      form.resetFields();
      onLogged();
    } catch (err) {
      onError(err, form);
    }
  };
  return (
    <Card style={{ maxWidth: 720 }} data-testid="cs-desk">
      <Form form={form} layout="inline" onFinish={submit} style={{ rowGap: 12 }}>
        <Form.Item name="itemCode" label={t('cs.item')} rules={[{ required: true }]}>
          <Select showSearch optionFilterProp="label" style={{ width: 260 }} data-testid="cs-item"
            options={items.map((i) => ({ value: i.code, label: `${i.code} ${i.name}` }))}
            onChange={(code: string) => form.setFieldValue('caseType', items.find((i) => i.code === code)?.defaultType)} />
        </Form.Item>
        <Form.Item name="caseType" label={t('cs.type')}>
          <Select style={{ width: 120 }} data-testid="cs-type" options={['immediate', 'promised', 'referred'].map((k) => ({ value: k, label: t(`cs.type.${k}` as MessageKey) }))} />
        </Form.Item>
        <Form.Item name="applicant" label={t('cs.applicant')}><Input maxLength={100} style={{ width: 160 }} data-testid="cs-applicant" /></Form.Item>
        <Form.Item><Button type="primary" htmlType="submit" data-testid="cs-log">{t('cs.log')}</Button></Form.Item>
      </Form>
      {last && (
        <Alert style={{ marginTop: 16 }} type="success" showIcon data-testid="cs-last"
          message={t('cs.logged', { number: last.number, due: fmt(last.dueAt) })}
          action={<NoticeButton tenantId={tenantId} c={last} />} />
      )}
    </Card>
  );
}

function CaseTable({ rows, onOpen }: { rows: CaseView[]; onOpen: (c: CaseView) => void }) {
  const { t } = useI18n();
  return (
    <Table<CaseView> rowKey="id" size="small" dataSource={rows} scroll={{ x: 800 }} locale={{ emptyText: t('cs.none') }}
      onRow={(r) => ({ onClick: () => onOpen(r), style: { cursor: 'pointer' } })}
      rowClassName={(r) => (r.card === 'red' ? 'cs-row-red' : r.card === 'yellow' ? 'cs-row-yellow' : '')}
      columns={[
        { title: t('cs.number'), dataIndex: 'number' },
        { title: t('cs.item'), render: (_, r) => `${r.itemName}` },
        { title: t('cs.type'), render: (_, r) => t(`cs.type.${r.caseType}` as MessageKey) },
        { title: t('cs.clerk'), render: (_, r) => r.staffName ?? '—' },
        { title: t('cs.accepted'), render: (_, r) => fmt(r.acceptedAt) },
        { title: t('cs.due'), render: (_, r) => fmt(r.dueAt) },
        { title: t('cs.remaining'), render: (_, r) => <Remaining c={r} /> },
        { title: t('cs.card'), render: (_, r) => <CardTag c={r} /> },
      ]} />
  );
}

function CaseDetail({ tenantId, id, onChange }: { tenantId: string; id: string; onChange: () => void }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const onError = useApiError();
  const queryClient = useQueryClient();
  const oneKey = keys.tenant(tenantId, 'cases', 'one', id);
  const c: CaseView | null = useQuery({
    queryKey: oneKey,
    queryFn: ({ signal }) => casesApi.one(tenantId, id, signal),
  }).data ?? null;
  const setC = (x: CaseView) => queryClient.setQueryData(oneKey, x);
  const load = () => void queryClient.invalidateQueries({ queryKey: oneKey });
  const [pauseKind, setPauseKind] = useState<PauseKind>('supplement');
  const [notice, setNotice] = useState<Notice | null>(null);
  if (!c) return <Spin />;
  const act = async (a: 'pause' | 'resume' | 'complete') => {
    try {
      setC(await (a === 'pause' ? casesApi.pause(tenantId, c.id, { kind: pauseKind }) : a === 'resume' ? casesApi.resume(tenantId, c.id) : casesApi.complete(tenantId, c.id)));
      onChange();
    } catch (err) {
      onError(err);
    }
  };
  return (
    <div data-testid="cs-detail">
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('cs.number')}>{c.number}</Descriptions.Item>
        <Descriptions.Item label={t('cs.item')}>{c.itemCode} {c.itemName}（{t(`cs.type.${c.caseType}` as MessageKey)}）</Descriptions.Item>
        <Descriptions.Item label={t('cs.applicant')}>{c.applicant || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('cs.clerk')}>{[c.departmentName, c.windowName, c.staffName].filter(Boolean).join(' / ')}</Descriptions.Item>
        <Descriptions.Item label={t('cs.accepted')}>{fmt(c.acceptedAt)}</Descriptions.Item>
        <Descriptions.Item label={t('cs.due')}><Space>{fmt(c.dueAt)}<Remaining c={c} /><CardTag c={c} /></Space></Descriptions.Item>
        {(c.participants ?? []).map((p) => (
          <Descriptions.Item key={p.departmentName} label={p.departmentName}>{fmt(p.dueAt)}{p.completedAt ? ` ✓ ${fmt(p.completedAt)}` : ''}</Descriptions.Item>
        ))}
        {(c.pauses ?? []).map((p, i) => (
          <Descriptions.Item key={i} label={t(`cs.pause.${p.kind}` as MessageKey) ?? p.kind}>
            {fmt(p.startedAt)} — {p.endedAt ? fmt(p.endedAt) : '…'} {p.days ? `+${p.days}` : ''} {p.approvedBy ?? ''} {p.note ?? ''}
          </Descriptions.Item>
        ))}
      </Descriptions>
      {!c.completedAt && can('case:log') && (
        <Space wrap style={{ margin: '12px 0' }}>
          <NoticeButton tenantId={tenantId} c={c} onIssued={load} />
          {c.paused ? <Button onClick={() => act('resume')}>{t('cs.resume')}</Button> : (
            <Space.Compact>
              <Select value={pauseKind} onChange={setPauseKind} style={{ width: 110 }}
                options={['supplement', 'hearing', 'appraisal', 'expert', 'inspection', 'tender'].map((k) => ({ value: k, label: t(`cs.pause.${k}` as MessageKey) }))} />
              <Button onClick={() => act('pause')}>{t('cs.pause')}</Button>
            </Space.Compact>
          )}
          <Button type="primary" onClick={() => act('complete')}>{t('cs.complete')}</Button>
        </Space>
      )}
      <Space wrap style={{ marginTop: 8 }}>
        {(c.notices ?? []).map((n) => <Button key={n.id} size="small" type="link" onClick={() => setNotice(n)}>{n.title} {n.number}</Button>)}
      </Space>
      <Modal open={notice !== null} onCancel={() => setNotice(null)} width={720}
        footer={<Button type="primary" onClick={() => window.print()}>{t('cs.print')}</Button>}>
        {notice && <NoticeSheet n={notice} />}
      </Modal>
    </div>
  );
}

function BoardTab({ tenantId, reloadKey }: { tenantId: string; reloadKey: number }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const [open, setOpen] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const boardKey = keys.tenant(tenantId, 'cases', 'board');
  // the board refreshes itself every minute (the countdowns move)
  const board: Board | null = useQuery({
    queryKey: boardKey,
    queryFn: ({ signal }) => casesApi.board(tenantId, signal),
    refetchInterval: 60_000,
  }).data ?? null;
  const load = () => void queryClient.invalidateQueries({ queryKey: boardKey });
  useEffect(() => {
    if (reloadKey) void queryClient.invalidateQueries({ queryKey: boardKey });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reloadKey]);
  const issue = async () => {
    try {
      message.success(t('cs.cardsIssued', await casesApi.cards(tenantId)));
      load();
    } catch (err) {
      onError(err);
    }
  };
  if (!board) return <Spin />;
  return (
    <div data-testid="cs-board">
      <Space style={{ marginBottom: 12 }} wrap>
        <Tag color="gold" data-testid="cs-yellow-count">{t('cs.card.yellow')} {board.yellow}</Tag>
        <Tag color="red" data-testid="cs-red-count">{t('cs.card.red')} {board.red}</Tag>
        <Typography.Text type="secondary">{fmt(board.now)}</Typography.Text>
        {can('case:manage') && <Button onClick={issue} data-testid="cs-issue-cards">{t('cs.issueCards')}</Button>}
        <Button href={casesApi.statsUrl(tenantId, dayjs(board.now).format('YYYY-MM'))}>{t('cs.stats')}</Button>
      </Space>
      <CaseTable rows={board.cases} onOpen={(c) => setOpen(c.id)} />
      <Drawer open={open !== null} onClose={() => setOpen(null)} width={Math.min(640, window.innerWidth)} destroyOnHidden>
        {open && <CaseDetail tenantId={tenantId} id={open} onChange={load} />}
      </Drawer>
    </div>
  );
}

function LedgerTab({ tenantId, reloadKey }: { tenantId: string; reloadKey: number }) {
  const [open, setOpen] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const listKey = keys.tenant(tenantId, 'cases', 'list');
  const list = useQuery({ queryKey: listKey, queryFn: ({ signal }) => casesApi.list(tenantId, signal) });
  const rows: CaseView[] | null = list.data ?? null;
  const load = () => void queryClient.invalidateQueries({ queryKey: listKey });
  useEffect(() => {
    if (reloadKey) void queryClient.invalidateQueries({ queryKey: listKey });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reloadKey]);
  if (!rows) return <Spin />;
  return (
    <>
      <CaseTable rows={rows} onOpen={(c) => setOpen(c.id)} />
      <Drawer open={open !== null} onClose={() => setOpen(null)} width={Math.min(640, window.innerWidth)} destroyOnHidden>
        {open && <CaseDetail tenantId={tenantId} id={open} onChange={load} />}
      </Drawer>
    </>
  );
}

function Importer({ label, run, testId }: { label: string; run: (f: File, goodOnly: boolean) => Promise<ImportReport>; testId: string }) {
  const { t, lang } = useI18n();
  const onError = useApiError();
  const [goodOnly, setGoodOnly] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const go = async (file: File) => {
    try {
      setReport(await run(file, goodOnly));
    } catch (err) {
      const rep = err instanceof ApiError ? (err.details.report as ImportReport | undefined) : undefined;
      if (rep) setReport(rep);
      onError(err);
    }
    return false;
  };
  return (
    <Card title={label} size="small" style={{ marginBottom: 16 }} data-testid={testId}>
      <Space wrap>
        <Upload beforeUpload={go} showUploadList={false} accept=".csv,.json"><Button icon={<UploadOutlined />}>{label}</Button></Upload>
        <Checkbox checked={goodOnly} onChange={(e) => setGoodOnly(e.target.checked)}>{t('cs.goodOnly')}</Checkbox>
      </Space>
      {report && (
        <>
          <Alert style={{ margin: '12px 0' }} type={report.bad ? 'warning' : 'success'} showIcon
            message={t('cs.imported', { applied: report.applied, skipped: report.skippedDuplicates, bad: report.bad })} />
          {report.problems.length > 0 && (
            <Table rowKey={(r) => `${r.row}-${r.field}-${r.zh}`} size="small" pagination={false} dataSource={report.problems}
              columns={[{ title: t('cs.row'), dataIndex: 'row', width: 60 }, { title: t('cs.field'), dataIndex: 'field', width: 120 },
                { title: t('cs.problem'), render: (_, r) => (lang === 'en' ? r.en : r.zh) }]} />
          )}
        </>
      )}
    </Card>
  );
}

export default function CasesPage() {
  const { me, can } = useAuth();
  const { t } = useI18n();

  const [tab, setTab] = useState(can('case:log') ? 'desk' : 'board');
  const [tick, setTick] = useState(0);
  const tenantId = me ? String(me.tenant.id) : '';
  const queryClient = useQueryClient();
  const itemsKey = keys.tenant(tenantId, 'cases', 'items');
  const items: ServiceItem[] | null = useQuery({
    queryKey: itemsKey,
    queryFn: ({ signal }) => casesApi.items(tenantId, signal),
    enabled: !!tenantId,
  }).data ?? null;
  const loadItems = () => void queryClient.invalidateQueries({ queryKey: itemsKey });
  if (!items) return <Spin />;
  const tabs = [
    ...(can('case:log') ? [{ key: 'desk', label: t('cs.tab.desk'), children: <Desk tenantId={tenantId} items={items} onLogged={() => setTick((n) => n + 1)} /> }] : []),
    { key: 'board', label: t('cs.tab.board'), children: <BoardTab tenantId={tenantId} reloadKey={tick} /> },
    { key: 'ledger', label: t('cs.tab.ledger'), children: <LedgerTab tenantId={tenantId} reloadKey={tick} /> },
    { key: 'items', label: t('cs.tab.items'), children: (
      <>
        {can('case:manage') && <Importer label={t('cs.importItems')} testId="cs-import-items" run={async (f, g) => { const r = await casesApi.importItems(tenantId, f, g); loadItems(); return r; }} />}
        <Table<ServiceItem> rowKey="id" size="small" dataSource={items}
          columns={[{ title: t('cs.code'), dataIndex: 'code' }, { title: t('cs.item'), dataIndex: 'name' },
            { title: t('cp.department'), render: (_, r) => r.departmentName ?? '—' }, { title: t('cs.legalDays'), dataIndex: 'legalDays' },
            { title: t('cs.promisedDays'), dataIndex: 'promisedDays' }, { title: t('cs.type'), render: (_, r) => t(`cs.type.${r.defaultType}` as MessageKey) }]} />
      </>
    ) },
    ...(can('case:manage') ? [{ key: 'import', label: t('cs.tab.import'), children: (
      <Importer label={t('cs.importEvents')} testId="cs-import-events" run={async (f, g) => { const r = await casesApi.importEvents(tenantId, f, g); setTick((n) => n + 1); return r; }} />
    ) }] : []),
  ];
  return (
    <div data-testid="page-cases">
      <Tabs activeKey={tab} onChange={setTab} items={tabs} destroyOnHidden />
    </div>
  );
}
