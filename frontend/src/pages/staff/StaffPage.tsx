// Staff of the center: paged and searchable; a drawer to create or edit one person.
import { useState } from 'react';
import { App as AntApp, Button, Card, Drawer, Form, Input, List, Modal, Select, Space, Table, Tag, Upload } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { ApiError, api, call, client } from '../../api';
import type { Schemas } from '../../api';
import { useAuth } from '../../auth';
import { isMessageKey, useI18n } from '../../i18n';
import { DeleteAction, ScopeBanner, tenantPath, useAll, useApiError, usePaged, useTenant } from '../admin/shared';
import JobProgress, { isUseBackgroundJob } from '../jobs/JobProgress';

export type Staff = Schemas['Staff'];
type Department = Schemas['Department'];
type Window = Schemas['Window'];

const STATUSES = ['active', 'suspended', 'returned_to_unit', 'left'];
const STATUS_COLOR: Record<string, string> = { active: 'green', suspended: 'orange', returned_to_unit: 'red', left: 'default' };

export default function StaffPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const tenant = useTenant();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const [importErrors, setImportErrors] = useState<ApiError | null>(null);
  const [importing, setImporting] = useState(false);
  // a big roster (409 use_background_job): the same file to staff/import-job, applied by a background job
  const [importJob, setImportJob] = useState<string | null>(null);
  const [dept, setDept] = useState<string | undefined>();
  const list = usePaged('/api/t/{tenant_id}/staff', tenant.id, 20, { departmentIdIn: dept });
  const depts = useAll('/api/t/{tenant_id}/departments', tenant.id);
  const wins = useAll('/api/t/{tenant_id}/windows', tenant.id);
  const [editing, setEditing] = useState<Staff | 'new' | null>(null);
  const writable = can('staff:write');
  const statusLabel = (s: string) => {
    const key = `staff.status.${s}`;
    return isMessageKey(key) ? t(key) : s;
  };

  const columns: ColumnsType<Staff> = [
    { title: t('staff.name'), dataIndex: 'name', render: (name: string) => <span data-testid="staff-name">{name}</span> },
    { title: t('staff.employeeNo'), dataIndex: 'employeeNo', width: 110, responsive: ['sm'] },
    { title: t('staff.department'), dataIndex: 'departmentId', responsive: ['md'], render: (id: string | null) => depts.items.find((d) => d.id === id)?.name ?? '—' },
    { title: t('staff.window'), dataIndex: 'windowId', width: 160, render: (id: string | null) => { const w = wins.items.find((x) => x.id === id); return w ? `${w.number} ${w.name}` : '—'; } },
    { title: t('staff.phone'), dataIndex: 'phone', width: 130, responsive: ['lg'] },
    { title: t('staff.status'), dataIndex: 'status', width: 110, render: (s: string) => <Tag color={STATUS_COLOR[s]}>{statusLabel(s)}</Tag> },
    ...(writable
      ? [
          {
            title: t('common.actions'),
            key: 'a',
            width: 130,
            render: (_: unknown, row: Staff) => (
              <Space size={0}>
                <Button type="link" size="small" data-testid={`staff-edit-${row.employeeNo}`} onClick={() => setEditing(row)}>
                  {t('common.edit')}
                </Button>
                <DeleteAction
                  remove={() => call(client.DELETE('/api/t/{tenant_id}/staff/{staff_id}', {
                    params: { path: { tenant_id: tenant.id, staff_id: row.id } } }))}
                  onDone={list.reload}
                />
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <div data-testid="page-staff">
      <ScopeBanner />
      <Card
        title={<span data-testid="page-title">{t('staff.title')}</span>}
        extra={
          writable && (
            <Space wrap>
              <Button icon={<DownloadOutlined />} href={tenantPath(tenant.id, 'staff/import-template')} data-testid="staff-template">
                {t('staff.template')}
              </Button>
              <Upload
                accept=".xlsx"
                showUploadList={false}
                customRequest={async ({ file }) => {
                  const body = new FormData();
                  body.append('data', file as Blob);
                  setImporting(true);
                  try {
                    // a multipart upload: the one kind of call the generated client cannot type (FormData)
                    const res = await api.post<Schemas['RosterImported']>(tenantPath(tenant.id, 'staff/import'), body);
                    message.success(t('staff.imported', { created: res.created, updated: res.updated }));
                    list.reload();
                  } catch (err) {
                    try {
                      if (!isUseBackgroundJob(err)) throw err;
                      const job = await api.post<Schemas['JobOut']>(tenantPath(tenant.id, 'staff/import-job'), body);
                      setImportJob(job.id);
                    } catch (e) {
                      if (e instanceof ApiError && e.fields.length) setImportErrors(e);
                      else onError(e);
                    }
                  } finally {
                    setImporting(false);
                  }
                }}
              >
                <Button icon={<UploadOutlined />} loading={importing} data-testid="staff-import">
                  {t('staff.import')}
                </Button>
              </Upload>
              <Button type="primary" icon={<PlusOutlined />} data-testid="staff-new" onClick={() => setEditing('new')}>
                {t('staff.new')}
              </Button>
            </Space>
          )
        }
      >
        {importJob ? <div style={{ marginBottom: 12 }}><JobProgress jobId={importJob} onDone={() => list.reload()} /></div> : null}
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search
            allowClear
            data-testid="staff-search"
            placeholder={t('staff.searchHint')}
            onSearch={list.setSearch}
            style={{ width: 260 }}
          />
          <Select
            allowClear
            placeholder={t('staff.allDepartments')}
            style={{ width: 220 }}
            value={dept}
            onChange={(v) => { setDept(v); list.setPage(1); }}
            options={depts.items.map((d) => ({ value: d.id, label: d.name }))}
          />
        </Space>
        <Table<Staff>
          rowKey="id"
          size="middle"
          data-testid="staff-table"
          loading={list.loading}
          columns={columns}
          dataSource={list.items}
          pagination={{
            current: list.page,
            pageSize: list.pageSize,
            total: list.total,
            showTotal: (n) => t('common.total', { n }),
            onChange: list.setPage,
            showSizeChanger: false,
          }}
        />
      </Card>
      <Modal
        open={!!importErrors}
        title={importErrors?.message(lang)}
        onCancel={() => setImportErrors(null)}
        onOk={() => setImportErrors(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
      >
        <List
          size="small"
          data-testid="import-errors"
          dataSource={importErrors?.fields ?? []}
          renderItem={(f) => <List.Item>{lang === 'en' ? f.message.en : f.message.zh}</List.Item>}
          style={{ maxHeight: 360, overflow: 'auto' }}
        />
      </Modal>
      {editing && (
        <StaffDrawer
          tenantId={tenant.id}
          staff={editing === 'new' ? null : editing}
          departments={depts.items}
          windows={wins.items}
          onClose={(saved) => {
            setEditing(null);
            if (saved) list.reload();
          }}
          statusLabel={statusLabel}
        />
      )}
    </div>
  );
}

function StaffDrawer({
  tenantId,
  staff,
  departments,
  windows,
  onClose,
  statusLabel,
}: {
  tenantId: string;
  staff: Staff | null;
  departments: Department[];
  windows: Window[];
  onClose: (saved: boolean) => void;
  statusLabel: (s: string) => string;
}) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const [form] = Form.useForm<Staff>();
  const [saving, setSaving] = useState(false);
  const deptId = Form.useWatch('departmentId', form);
  const winOptions = windows.filter((w) => !deptId || w.departmentId === deptId);

  const save = async () => {
    let v: Staff;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    const body = {
      name: v.name,
      phone: v.phone || null,
      departmentId: v.departmentId ?? null,
      windowId: v.windowId ?? null,
      status: v.status,
    };
    try {
      if (staff) {
        await call(client.PATCH('/api/t/{tenant_id}/staff/{staff_id}', {
          params: { path: { tenant_id: tenantId, staff_id: staff.id } }, body }));
      } else {
        await call(client.POST('/api/t/{tenant_id}/staff', {
          params: { path: { tenant_id: tenantId } }, body: { ...body, employeeNo: v.employeeNo } }));
      }
      message.success(t('common.saved'));
      onClose(true);
    } catch (err) {
      onError(err, form);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open
      width={420}
      title={staff ? t('staff.edit') : t('staff.new')}
      onClose={() => onClose(false)}
      destroyOnClose
      extra={
        <Button type="primary" loading={saving} data-testid="staff-save" onClick={() => void save()}>
          {t('common.save')}
        </Button>
      }
    >
      <Form<Staff>
        form={form}
        layout="vertical"
        requiredMark={false}
        data-testid="staff-form"
        initialValues={staff ?? { status: 'active' }}
      >
        <Form.Item name="name" label={t('staff.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input data-testid="staff-form-name" maxLength={100} />
        </Form.Item>
        <Form.Item name="employeeNo" label={t('staff.employeeNo')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input data-testid="staff-form-employee-no" maxLength={64} disabled={!!staff} />
        </Form.Item>
        <Form.Item name="phone" label={t('staff.phone')}>
          <Input data-testid="staff-form-phone" maxLength={32} />
        </Form.Item>
        <Form.Item name="departmentId" label={t('staff.department')}>
          <Select
            allowClear
            data-testid="staff-form-department"
            options={departments.map((d) => ({ value: d.id, label: d.name }))}
            onChange={() => form.setFieldValue('windowId', undefined)}
          />
        </Form.Item>
        <Form.Item name="windowId" label={t('staff.window')}>
          <Select allowClear data-testid="staff-form-window" options={winOptions.map((w) => ({ value: w.id, label: `${w.number} ${w.name}` }))} />
        </Form.Item>
        <Form.Item name="status" label={t('staff.status')}>
          <Select options={STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
