// /attendance-corrections (考勤更正): when a terminal fails or the whole center works elsewhere for a morning, the
// center corrects a day or a date range — morning, afternoon or the whole day — for many staff at once (by
// department, window or name), as present or on duty elsewhere, with a reason and evidence. The month evaluation
// applies it; the sheet, the board and the person's month show 更. A mistaken correction is voided, never deleted.
import { useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Checkbox, DatePicker, Form, Input, Modal, Radio, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { call, client } from '../../api';
import { keys } from '../../api/query';
import { useAuth } from '../../auth';
import FileUpload, { fileUrl } from '../../components/FileUpload';
import { useI18n } from '../../i18n';
import type { I18n } from '../../i18n';
import { ScopeBanner, useApiError, useTenant } from '../admin/shared';
import { attendanceApi } from './attendanceApi';
import type { Correction, CorrectionIn } from './attendanceApi';
import './attendance.css';

const PAGE_SIZE = 20;

function dateText(d: string, zh: boolean): string {
  return zh ? dayjs(d).format('YYYY年M月D日') : d;
}

function rangeText(c: Correction, zh: boolean): string {
  if (c.dateFrom === c.dateTo) return dateText(c.dateFrom, zh);
  return `${dateText(c.dateFrom, zh)} – ${dateText(c.dateTo, zh)}`;
}

function sessionsLabel(t: I18n['t'], s: string): string {
  return t(`att.corr.session.${s}` as 'att.corr.session.am');
}

function kindLabel(t: I18n['t'], k: string): string {
  return t(`att.corr.kind.${k}` as 'att.corr.kind.present');
}

interface FormValues {
  dates: [Dayjs, Dayjs];
  sessions: 'am' | 'pm' | 'day';
  kind: 'present' | 'elsewhere';
  everyone: boolean;
  departmentIds: string[];
  windowIds: string[];
  staffIds: string[];
  reason: string;
  fileIds: string[];
}

/** Staff by name or employee number, searched on the server (a center has hundreds). */
function StaffPicker({ tenantId, value, onChange }: { tenantId: string; value?: string[]; onChange?: (v: string[]) => void }) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const [known, setKnown] = useState<Record<string, string>>({});
  const found = useQuery({
    queryKey: keys.tenant(tenantId, 'staff', 'picker', search),
    queryFn: ({ signal }) =>
      call(
        client.GET('/api/t/{tenant_id}/staff', {
          params: { path: { tenant_id: tenantId }, query: { searchString: search || undefined, pageSize: 50, currentPage: 1 } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const options = (found.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.name} ${s.employeeNo}` }));
  for (const id of value ?? []) {
    if (!options.some((o) => o.value === id) && known[id]) options.push({ value: id, label: known[id] });
  }
  return (
    <Select
      mode="multiple"
      showSearch
      allowClear
      filterOption={false}
      placeholder={t('att.corr.byNameHint')}
      onSearch={(v) => setSearch(v.trim())}
      options={options}
      value={value}
      onChange={(ids: string[]) => {
        const labels = { ...known };
        for (const o of options) labels[o.value] = o.label;
        setKnown(labels);
        onChange?.(ids);
      }}
      loading={found.isFetching}
      data-testid="corr-staff"
    />
  );
}

function NewCorrection({ tenantId, onClose }: { tenantId: string; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const everyone = Form.useWatch('everyone', form);
  const zh = lang !== 'en';
  const departments = useQuery({
    queryKey: keys.tenant(tenantId, 'departments', 'picker'),
    queryFn: ({ signal }) =>
      call(client.GET('/api/t/{tenant_id}/departments', { params: { path: { tenant_id: tenantId }, query: { pageSize: 500 } }, signal })),
  });
  const windows = useQuery({
    queryKey: keys.tenant(tenantId, 'windows', 'picker'),
    queryFn: ({ signal }) =>
      call(client.GET('/api/t/{tenant_id}/windows', { params: { path: { tenant_id: tenantId }, query: { pageSize: 500 } }, signal })),
  });
  const deptName = new Map((departments.data?.items ?? []).map((d) => [d.id, d.name]));
  const save = useMutation({
    mutationFn: (body: CorrectionIn) => attendanceApi.createCorrection(tenantId, body),
    onSuccess: (c) => {
      void message.success(t('att.corr.saved', { n: c.staffCount }));
      // the corrections and every attendance view of this center (sheet, board, months) change
      void queryClient.invalidateQueries({ queryKey: keys.tenant(tenantId, 'attendance') });
      onClose();
    },
    onError: (err) => onError(err, form),
  });
  return (
    <Modal
      open
      width={640}
      title={t('att.corr.new')}
      onCancel={onClose}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'corr-submit' } as Record<string, string>}
      onOk={async () => {
        let v: FormValues;
        try {
          v = await form.validateFields();
        } catch {
          return;
        }
        save.mutate({
          dateFrom: v.dates[0].format('YYYY-MM-DD'),
          dateTo: v.dates[1].format('YYYY-MM-DD'),
          sessions: v.sessions,
          kind: v.kind,
          everyone: !!v.everyone,
          departmentIds: v.everyone ? [] : v.departmentIds ?? [],
          windowIds: v.everyone ? [] : v.windowIds ?? [],
          staffIds: v.everyone ? [] : v.staffIds ?? [],
          reason: v.reason,
          fileIds: v.fileIds ?? [],
        });
      }}
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={{ dates: [dayjs(), dayjs()], sessions: 'am', kind: 'present', everyone: false, departmentIds: [], windowIds: [], staffIds: [], fileIds: [] }}
      >
        <Form.Item name="dates" label={t('att.corr.dates')} rules={[{ required: true, message: t('common.required') }]}>
          <DatePicker.RangePicker format={zh ? ['YYYY年M月D日', 'YYYY-MM-DD'] : ['YYYY-MM-DD']} allowClear={false} data-testid="corr-dates" />
        </Form.Item>
        <Space size="large" wrap>
          <Form.Item name="sessions" label={t('att.corr.sessions')}>
            <Radio.Group optionType="button" data-testid="corr-sessions"
              options={(['am', 'pm', 'day'] as const).map((s) => ({ value: s, label: sessionsLabel(t, s) }))} />
          </Form.Item>
          <Form.Item name="kind" label={t('att.corr.kind')}>
            <Radio.Group optionType="button" data-testid="corr-kind"
              options={(['present', 'elsewhere'] as const).map((k) => ({ value: k, label: kindLabel(t, k) }))} />
          </Form.Item>
        </Space>
        <Card size="small" title={t('att.corr.pick')} style={{ marginBottom: 16 }} extra={<Typography.Text type="secondary">{t('att.corr.pickHint')}</Typography.Text>}>
          <Form.Item name="everyone" valuePropName="checked" style={{ marginBottom: 8 }}>
            <Checkbox data-testid="corr-everyone">{t('att.corr.everyone')}</Checkbox>
          </Form.Item>
          <Form.Item name="departmentIds" label={t('att.corr.departments')} style={{ marginBottom: 8 }}>
            <Select mode="multiple" allowClear disabled={everyone} optionFilterProp="label" data-testid="corr-departments"
              options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))} />
          </Form.Item>
          <Form.Item name="windowIds" label={t('att.corr.windows')} style={{ marginBottom: 8 }}>
            <Select mode="multiple" allowClear disabled={everyone} optionFilterProp="label" data-testid="corr-windows"
              options={(windows.data?.items ?? []).map((w) => ({
                value: w.id,
                label: `${w.number} ${w.name}${deptName.get(w.departmentId) ? `（${deptName.get(w.departmentId)}）` : ''}`,
              }))} />
          </Form.Item>
          <Form.Item name="staffIds" label={t('att.corr.byName')} style={{ marginBottom: 0 }}>
            {everyone ? <Select mode="multiple" disabled /> : <StaffPicker tenantId={tenantId} />}
          </Form.Item>
        </Card>
        <Form.Item name="reason" label={t('att.corr.reason')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input.TextArea rows={2} maxLength={500} showCount placeholder={t('att.corr.reasonHint')} data-testid="corr-reason" />
        </Form.Item>
        <Form.Item name="fileIds" label={t('att.corr.evidence')} extra={t('att.corr.evidenceHint')}
          rules={[{ required: true, type: 'array', min: 1, message: t('common.required') }]}>
          <FileUpload tenantId={tenantId} purpose="attendance.correction" maxCount={5} data-testid="corr-evidence" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function VoidAction({ tenantId, c }: { tenantId: string; c: Correction }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const voiding = useMutation({
    mutationFn: (reason: string) => attendanceApi.voidCorrection(tenantId, c.id, reason),
    onSuccess: () => {
      void message.success(t('att.corr.voidDone'));
      void queryClient.invalidateQueries({ queryKey: keys.tenant(tenantId, 'attendance') });
      setOpen(false);
    },
    onError: (err) => onError(err, form),
  });
  return (
    <>
      <Button size="small" danger onClick={() => setOpen(true)} data-testid={`corr-void-${c.id}`}>
        {t('att.corr.void')}
      </Button>
      {open && (
        <Modal
          open
          title={t('att.corr.voidTitle')}
          onCancel={() => setOpen(false)}
          okText={t('att.corr.void')}
          okButtonProps={{ danger: true, 'data-testid': 'corr-void-submit' } as { danger: boolean }}
          cancelText={t('common.cancel')}
          confirmLoading={voiding.isPending}
          onOk={async () => {
            try {
              const v = await form.validateFields();
              voiding.mutate(v.reason);
            } catch {
              /* the form shows what is missing */
            }
          }}
        >
          <Form form={form} layout="vertical">
            <Form.Item name="reason" label={t('att.corr.voidReason')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
              <Input.TextArea rows={2} maxLength={500} data-testid="corr-void-reason" />
            </Form.Item>
          </Form>
        </Modal>
      )}
    </>
  );
}

export default function CorrectionsPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const tenant = useTenant();
  const zh = lang !== 'en';
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const canWrite = can('attendance_correction:write');
  const answer = useQuery({
    queryKey: keys.tenant(tenant.id, 'attendance', 'corrections', { page, search }),
    queryFn: ({ signal }) =>
      attendanceApi.corrections(tenant.id, { currentPage: page, pageSize: PAGE_SIZE, searchString: search || undefined }, signal),
    enabled: !!tenant.id,
    placeholderData: keepPreviousData,
  });
  const data = answer.data;
  const columns: ColumnsType<Correction> = [
    { title: t('att.corr.dates'), key: 'dates', width: 200, render: (_: unknown, c) => <span data-testid={`corr-dates-${c.id}`}>{rangeText(c, zh)}</span> },
    {
      title: t('att.corr.sessions'),
      key: 'sessions',
      width: 150,
      render: (_: unknown, c) => (
        <Space size={4} wrap>
          <Tag>{sessionsLabel(t, c.sessions)}</Tag>
          <Tag color={c.kind === 'elsewhere' ? 'cyan' : 'geekblue'}>{kindLabel(t, c.kind)}</Tag>
        </Space>
      ),
    },
    {
      title: t('att.corr.staff'),
      key: 'staff',
      render: (_: unknown, c) => {
        const shown = c.staffNames.slice(0, 5).join(zh ? '、' : ', ');
        const more = c.staffCount - Math.min(5, c.staffNames.length);
        return (
          <Tooltip title={c.staffNames.join(zh ? '、' : ', ')}>
            <span data-testid={`corr-staff-${c.id}`}>
              <b>{t('att.corr.staffCount', { n: c.staffCount })}</b>
              <Typography.Text type="secondary"> {shown}{more > 0 ? ` ${t('att.corr.staffMore', { n: c.staffCount })}` : ''}</Typography.Text>
            </span>
          </Tooltip>
        );
      },
    },
    { title: t('att.corr.reason'), dataIndex: 'reason', ellipsis: true },
    {
      title: t('att.corr.evidence'),
      key: 'files',
      width: 160,
      render: (_: unknown, c) => (
        <Space direction="vertical" size={0}>
          {c.files.map((f) => (
            <a key={f.id} href={fileUrl(tenant.id, f.id)} target="_blank" rel="noreferrer">
              {f.name}
            </a>
          ))}
        </Space>
      ),
    },
    {
      title: t('att.corr.createdBy'),
      key: 'by',
      width: 150,
      responsive: ['lg'],
      render: (_: unknown, c) => (
        <span>
          {c.createdBy ?? '—'}
          <div style={{ color: '#888', fontSize: 12 }}>{dayjs(c.createdAt).format(zh ? 'YYYY年M月D日 HH:mm' : 'YYYY-MM-DD HH:mm')}</div>
        </span>
      ),
    },
    {
      title: t('att.corr.status'),
      key: 'status',
      width: 120,
      render: (_: unknown, c) =>
        c.voidedAt ? (
          <Tooltip title={t('att.corr.voidedBy', { name: c.voidedBy ?? '—', time: dayjs(c.voidedAt).format('YYYY-MM-DD HH:mm'), reason: c.voidReason ?? '' })}>
            <Tag data-testid={`corr-status-${c.id}`} data-status="void">{t('att.corr.voided')}</Tag>
          </Tooltip>
        ) : (
          <Space size={4}>
            <Tag color="green" data-testid={`corr-status-${c.id}`} data-status="valid">{t('att.corr.valid')}</Tag>
            {canWrite && <VoidAction tenantId={tenant.id} c={c} />}
          </Space>
        ),
    },
  ];
  return (
    <div data-testid="page-corrections">
      <ScopeBanner />
      <Card
        title={<span data-testid="page-title">{t('att.corr.title')}</span>}
        extra={
          <Space wrap>
            <Input.Search
              allowClear
              placeholder={t('att.corr.search')}
              style={{ width: 200 }}
              data-testid="corr-search"
              onSearch={(v) => {
                setPage(1);
                setSearch(v.trim());
              }}
            />
            {canWrite && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="corr-new">
                {t('att.corr.new')}
              </Button>
            )}
          </Space>
        }
      >
        <Alert type="info" showIcon message={t('att.corr.hint')} style={{ marginBottom: 12 }} />
        <Table<Correction>
          rowKey="id"
          size="small"
          loading={answer.isFetching}
          columns={columns}
          dataSource={data?.items ?? []}
          locale={{ emptyText: t('att.corr.empty') }}
          rowClassName={(c) => (c.voidedAt ? 'att-corr-void' : '')}
          pagination={
            data && data.total > PAGE_SIZE
              ? { current: page, pageSize: PAGE_SIZE, total: data.total, showSizeChanger: false, onChange: setPage }
              : false
          }
          scroll={{ x: 'max-content' }}
          data-testid="corr-table"
        />
      </Card>
      {creating && tenant.id && <NewCorrection tenantId={tenant.id} onClose={() => setCreating(false)} />}
    </div>
  );
}
