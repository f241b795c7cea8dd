// Departments stationed in the hall (进驻部门) and their service windows, on one page.
import { useState } from 'react';
import { App as AntApp, Button, Card, Col, Form, Input, Modal, Popconfirm, Row, Select, Space, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PlusOutlined } from '@ant-design/icons';
import { call, client } from '../../api';
import type { Schemas } from '../../api';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { ScopeBanner, useAll, useApiError, useTenant } from '../admin/shared';

export type Department = Schemas['Department'];
export type Window = Schemas['Window'];

type Editing<T> = { mode: 'create' } | { mode: 'edit'; row: T } | null;

export default function OrgPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const tenant = useTenant();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const depts = useAll('/api/t/{tenant_id}/departments', tenant.id);
  const wins = useAll('/api/t/{tenant_id}/windows', tenant.id);
  const [deptEdit, setDeptEdit] = useState<Editing<Department>>(null);
  const [winEdit, setWinEdit] = useState<Editing<Window>>(null);
  const [selectedDept, setSelectedDept] = useState<string | undefined>();
  const writable = can('department:write');
  const deptName = (id: string) => depts.items.find((d) => d.id === id)?.name ?? '—';

  const remove = async (kind: 'departments' | 'windows', id: string) => {
    try {
      if (kind === 'departments') {
        await call(client.DELETE('/api/t/{tenant_id}/departments/{department_id}', {
          params: { path: { tenant_id: tenant.id, department_id: id } } }));
      } else {
        await call(client.DELETE('/api/t/{tenant_id}/windows/{window_id}', {
          params: { path: { tenant_id: tenant.id, window_id: id } } }));
      }
      message.success(t('common.deleted'));
      depts.reload();
      wins.reload();
    } catch (err) {
      onError(err);
    }
  };

  const deptColumns: ColumnsType<Department> = [
    { title: t('org.deptName'), dataIndex: 'name' },
    { title: t('org.deptCode'), dataIndex: 'code', width: 100 },
    ...(writable
      ? [
          {
            title: t('common.actions'),
            key: 'a',
            width: 130,
            render: (_: unknown, row: Department) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={(e) => { e.stopPropagation(); setDeptEdit({ mode: 'edit', row }); }}>
                  {t('common.edit')}
                </Button>
                <Popconfirm title={t('common.confirmDelete')} onConfirm={() => void remove('departments', row.id)}>
                  <Button type="link" size="small" danger onClick={(e) => e.stopPropagation()}>
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  const winColumns: ColumnsType<Window> = [
    { title: t('org.windowNumber'), dataIndex: 'number', width: 90 },
    { title: t('org.windowName'), dataIndex: 'name' },
    { title: t('org.department'), dataIndex: 'departmentId', render: (id: string) => deptName(id) },
    ...(writable
      ? [
          {
            title: t('common.actions'),
            key: 'a',
            width: 130,
            render: (_: unknown, row: Window) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setWinEdit({ mode: 'edit', row })}>
                  {t('common.edit')}
                </Button>
                <Popconfirm title={t('common.confirmDelete')} onConfirm={() => void remove('windows', row.id)}>
                  <Button type="link" size="small" danger>
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  const shownWindows = selectedDept ? wins.items.filter((w) => w.departmentId === selectedDept) : wins.items;

  return (
    <div data-testid="page-org">
      <ScopeBanner />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={11}>
          <Card
            title={<span data-testid="page-title">{t('org.departments')}</span>}
            extra={
              writable && (
                <Button type="primary" icon={<PlusOutlined />} data-testid="dept-new" onClick={() => setDeptEdit({ mode: 'create' })}>
                  {t('org.newDepartment')}
                </Button>
              )
            }
          >
            <Table<Department>
              rowKey="id"
              size="small"
              data-testid="dept-table"
              columns={deptColumns}
              dataSource={depts.items}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              rowSelection={{
                type: 'radio',
                selectedRowKeys: selectedDept ? [selectedDept] : [],
                onChange: (keys) => setSelectedDept(keys[0] as string | undefined),
              }}
              onRow={(row) => ({ onClick: () => setSelectedDept(selectedDept === row.id ? undefined : row.id) })}
            />
          </Card>
        </Col>
        <Col xs={24} xl={13}>
          <Card
            title={t('org.windows')}
            extra={
              writable && (
                <Button type="primary" icon={<PlusOutlined />} data-testid="window-new" onClick={() => setWinEdit({ mode: 'create' })}>
                  {t('org.newWindow')}
                </Button>
              )
            }
          >
            <Table<Window>
              rowKey="id"
              size="small"
              data-testid="window-table"
              columns={winColumns}
              dataSource={shownWindows}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
            />
          </Card>
        </Col>
      </Row>
      {deptEdit && (
        <EditModal<Department>
          title={deptEdit.mode === 'create' ? t('org.newDepartment') : t('common.edit')}
          testId="dept-form"
          initial={deptEdit.mode === 'edit' ? deptEdit.row : { code: null }}
          onCancel={() => setDeptEdit(null)}
          onSave={async (v) => {
            const body = { name: v.name, code: v.code || null };
            if (deptEdit.mode === 'create') {
              await call(client.POST('/api/t/{tenant_id}/departments', { params: { path: { tenant_id: tenant.id } }, body }));
            } else {
              await call(client.PATCH('/api/t/{tenant_id}/departments/{department_id}', {
                params: { path: { tenant_id: tenant.id, department_id: deptEdit.row.id } }, body }));
            }
            setDeptEdit(null);
            depts.reload();
          }}
        >
          <Form.Item name="name" label={t('org.deptName')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
            <Input data-testid="dept-name" maxLength={200} />
          </Form.Item>
          <Form.Item name="code" label={t('org.deptCode')}>
            <Input data-testid="dept-code" maxLength={64} />
          </Form.Item>
        </EditModal>
      )}
      {winEdit && (
        <EditModal<Window>
          title={winEdit.mode === 'create' ? t('org.newWindow') : t('common.edit')}
          testId="window-form"
          initial={winEdit.mode === 'edit' ? winEdit.row : { departmentId: selectedDept ?? depts.items[0]?.id }}
          onCancel={() => setWinEdit(null)}
          onSave={async (v) => {
            const body = { number: v.number, name: v.name, departmentId: v.departmentId };
            if (winEdit.mode === 'create') {
              await call(client.POST('/api/t/{tenant_id}/windows', { params: { path: { tenant_id: tenant.id } }, body }));
            } else {
              await call(client.PATCH('/api/t/{tenant_id}/windows/{window_id}', {
                params: { path: { tenant_id: tenant.id, window_id: winEdit.row.id } }, body }));
            }
            setWinEdit(null);
            wins.reload();
          }}
        >
          <Form.Item name="departmentId" label={t('org.department')} rules={[{ required: true, message: t('common.required') }]}>
            <Select data-testid="window-department" options={depts.items.map((d) => ({ value: d.id, label: d.name }))} showSearch optionFilterProp="label" />
          </Form.Item>
          <Form.Item name="number" label={t('org.windowNumber')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
            <Input data-testid="window-number" maxLength={32} />
          </Form.Item>
          <Form.Item name="name" label={t('org.windowName')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
            <Input data-testid="window-name" maxLength={200} />
          </Form.Item>
        </EditModal>
      )}
    </div>
  );
}

/** A small create/edit form in a modal; server field errors land on the fields. */
export function EditModal<T>({
  title,
  testId,
  initial,
  onCancel,
  onSave,
  children,
}: {
  title: string;
  testId: string;
  initial: Partial<T>;
  onCancel: () => void;
  onSave: (values: T) => Promise<void>;
  children: React.ReactNode;
}) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  return (
    <Modal
      open
      title={title}
      onCancel={onCancel}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': `${testId}-submit` } as Record<string, string>}
      destroyOnClose
      onOk={async () => {
        let values: T;
        try {
          values = (await form.validateFields()) as T;
        } catch {
          return;
        }
        setSaving(true);
        try {
          await onSave(values);
          message.success(t('common.saved'));
        } catch (err) {
          onError(err, form);
        } finally {
          setSaving(false);
        }
      }}
    >
      <Form form={form} layout="vertical" requiredMark={false} initialValues={initial as object} data-testid={testId}>
        {children}
      </Form>
    </Modal>
  );
}
