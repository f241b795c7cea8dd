// Accounts of the center (create with a one-time password, disable, reset) and their role assignments.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Card, Checkbox, Drawer, Form, Input, Modal, Popconfirm, Select, Space, Table, Tabs, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PlusOutlined } from '@ant-design/icons';
import { call, client } from '../../api';
import type { Schemas } from '../../api';
import { keys } from '../../api/query';
import { useAuth } from '../../auth';
import { roleLabel, useI18n } from '../../i18n';
import { DeleteAction, OneTimeSecret, ScopeBanner, useAll, useApiError, usePaged, useTenant } from '../admin/shared';

type UserRow = Schemas['UserOut'];
type Assignment = Schemas['RoleAssignmentOut'];

const CENTER_ROLES = ['center_admin', 'chief_representative', 'duty_officer', 'clerk', 'supervision_office', 'center_leader'];
const ROLE_COLOR: Record<string, string> = {
  provincial_admin: 'purple',
  center_admin: 'blue',
  chief_representative: 'geekblue',
  duty_officer: 'cyan',
  supervision_office: 'purple',
  center_leader: 'gold',
  clerk: 'default',
};

export default function UsersPage() {
  const { t } = useI18n();
  const { me, can } = useAuth();
  const tenant = useTenant();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const users = usePaged('/api/t/{tenant_id}/users', tenant.id, 20);
  const staff = useAll('/api/t/{tenant_id}/staff', tenant.id);
  const queryClient = useQueryClient();
  const roles = useQuery({
    queryKey: keys.tenant(tenant.id, 'roles'),
    queryFn: ({ signal }) =>
      call(client.GET('/api/t/{tenant_id}/roles', { params: { path: { tenant_id: tenant.id } }, signal })),
    enabled: !!tenant.id,
  });
  const assignments: Assignment[] = roles.data ?? [];
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ username: string; password: string } | null>(null);
  const [assigning, setAssigning] = useState(false);
  const writable = can('user:write');
  const canAssign = can('role:assign');

  const loadAssignments = () => queryClient.invalidateQueries({ queryKey: keys.tenant(tenant.id, 'roles') });

  const reloadAll = () => {
    users.reload();
    void loadAssignments();
  };

  const act = async (row: UserRow, action: 'disable' | 'enable' | 'reset-password') => {
    try {
      const params = { path: { tenant_id: tenant.id, user_id: row.id } };
      let oneTimePassword: string | undefined;
      if (action === 'disable') await call(client.POST('/api/t/{tenant_id}/users/{user_id}/disable', { params }));
      else if (action === 'enable') await call(client.POST('/api/t/{tenant_id}/users/{user_id}/enable', { params }));
      else ({ oneTimePassword } = await call(client.POST('/api/t/{tenant_id}/users/{user_id}/reset-password', { params })));
      const res = { oneTimePassword };
      if (res.oneTimePassword) setSecret({ username: row.username, password: res.oneTimePassword });
      else message.success(t('common.saved'));
      users.reload();
    } catch (err) {
      onError(err);
    }
  };

  const staffName = (id: string | null) => staff.items.find((s) => s.id === id)?.name ?? '—';

  const columns: ColumnsType<UserRow> = [
    { title: t('users.username'), dataIndex: 'username', render: (u: string) => <span data-testid={`user-row-${u}`}>{u}</span> },
    { title: t('users.displayName'), dataIndex: 'displayName' },
    { title: t('users.staff'), dataIndex: 'staffId', responsive: ['lg'], render: staffName },
    {
      title: t('users.roles'),
      dataIndex: 'roles',
      render: (roles: string[]) => (
        <Space size={[4, 4]} wrap>
          {roles.map((r) => (
            <Tag key={r} color={ROLE_COLOR[r]}>
              {roleLabel(t, r)}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('users.state'),
      key: 'state',
      width: 150,
      render: (_: unknown, row) => (
        <Space size={[4, 4]} wrap>
          {row.isActive ? <Tag color="green">{t('users.active')}</Tag> : <Tag color="red">{t('users.disabled')}</Tag>}
          {row.locked && <Tag color="orange">{t('users.locked')}</Tag>}
          {row.mustChangePassword && <Tag>{t('users.mustChange')}</Tag>}
        </Space>
      ),
    },
    ...(writable
      ? [
          {
            title: t('common.actions'),
            key: 'a',
            width: 190,
            render: (_: unknown, row: UserRow) =>
              row.id === String(me?.id) ? null : row.manageable === false ? (
                <Tooltip title={t('security.noAuthorityTip')}>
                  <Tag data-testid={`user-no-authority-${row.username}`}>{t('security.noAuthority')}</Tag>
                </Tooltip>
              ) : (
                <Space size={0} wrap>
                  {row.isActive ? (
                    <Popconfirm title={t('users.confirmDisable')} onConfirm={() => void act(row, 'disable')}>
                      <Button type="link" size="small" danger data-testid={`user-disable-${row.username}`}>
                        {t('users.disable')}
                      </Button>
                    </Popconfirm>
                  ) : (
                    <Button type="link" size="small" onClick={() => void act(row, 'enable')}>
                      {t('users.enable')}
                    </Button>
                  )}
                  <Popconfirm title={t('users.confirmReset')} onConfirm={() => void act(row, 'reset-password')}>
                    <Button type="link" size="small">
                      {t('users.resetPassword')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]
      : []),
  ];

  const assignmentColumns: ColumnsType<Assignment> = [
    { title: t('users.account'), key: 'u', render: (_: unknown, a) => `${a.displayName}（${a.username}）` },
    {
      title: t('users.role'),
      dataIndex: 'role',
      render: (r: string, a) => (
        <Space>
          <Tag color={ROLE_COLOR[r]}>{roleLabel(t, r)}</Tag>
          {a.inherited && <Tag>{t('users.inherited')}</Tag>}
        </Space>
      ),
    },
    ...(canAssign
      ? [
          {
            title: t('common.actions'),
            key: 'a',
            width: 100,
            render: (_: unknown, a: Assignment) =>
              a.inherited ? null : (
                <DeleteAction
                  remove={() => call(client.DELETE('/api/t/{tenant_id}/roles/{assignment_id}', {
                    params: { path: { tenant_id: tenant.id, assignment_id: a.id } } }))}
                  onDone={reloadAll}
                  label={t('users.revoke')}
                  testId={`revoke-${a.username}-${a.role}`}
                />
              ),
          },
        ]
      : []),
  ];

  return (
    <div data-testid="page-users">
      <ScopeBanner />
      <Card title={<span data-testid="page-title">{t('users.title')}</span>}>
        <Tabs
          items={[
            {
              key: 'accounts',
              label: t('users.accounts'),
              children: (
                <>
                  <Space wrap style={{ marginBottom: 12 }}>
                    <Input.Search allowClear placeholder={t('users.username')} onSearch={users.setSearch} style={{ width: 240 }} />
                    {writable && (
                      <Button type="primary" icon={<PlusOutlined />} data-testid="user-new" onClick={() => setCreating(true)}>
                        {t('users.new')}
                      </Button>
                    )}
                  </Space>
                  <Table<UserRow>
                    rowKey="id"
                    size="middle"
                    data-testid="user-table"
                    loading={users.loading}
                    columns={columns}
                    dataSource={users.items}
                    scroll={{ x: 720 }}
                    pagination={{
                      current: users.page,
                      pageSize: users.pageSize,
                      total: users.total,
                      onChange: users.setPage,
                      showTotal: (n) => t('common.total', { n }),
                      showSizeChanger: false,
                    }}
                  />
                </>
              ),
            },
            {
              key: 'roles',
              label: <span data-testid="tab-roles">{t('users.assignments')}</span>,
              children: (
                <>
                  {canAssign && (
                    <Button type="primary" icon={<PlusOutlined />} style={{ marginBottom: 12 }} data-testid="role-assign" onClick={() => setAssigning(true)}>
                      {t('users.assign')}
                    </Button>
                  )}
                  <Table<Assignment> rowKey="id" size="middle" data-testid="role-table" columns={assignmentColumns} dataSource={assignments} pagination={{ pageSize: 50, hideOnSinglePage: true }} />
                </>
              ),
            },
          ]}
        />
      </Card>
      {creating && (
        <CreateUserDrawer
          tenantId={tenant.id}
          staff={staff.items}
          onClose={(created) => {
            setCreating(false);
            if (created) {
              setSecret(created);
              reloadAll();
            }
          }}
        />
      )}
      {assigning && (
        <AssignModal
          tenantId={tenant.id}
          users={users.items}
          onClose={(done) => {
            setAssigning(false);
            if (done) reloadAll();
          }}
        />
      )}
      <Modal
        open={!!secret}
        title={t('otp.title')}
        closable={false}
        maskClosable={false}
        cancelButtonProps={{ style: { display: 'none' } }}
        okButtonProps={{ 'data-testid': 'otp-close' } as Record<string, string>}
        okText={t('common.done')}
        onOk={() => setSecret(null)}
      >
        {secret && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <span>
              {t('users.username')}: <b data-testid="otp-username">{secret.username}</b>
            </span>
            <OneTimeSecret value={secret.password} testId="otp-value" title={t('otp.title')} hint={t('otp.hint')} />
          </Space>
        )}
      </Modal>
    </div>
  );
}

function CreateUserDrawer({
  tenantId,
  staff,
  onClose,
}: {
  tenantId: string;
  staff: Schemas['Staff'][];
  onClose: (created: { username: string; password: string } | null) => void;
}) {
  const { t } = useI18n();
  const onError = useApiError();
  const [form] = Form.useForm<{ username: string; displayName: string; staffId?: string; roles: string[] }>();
  const [saving, setSaving] = useState(false);

  const save = async () => {
    let v: { username: string; displayName: string; staffId?: string; roles: string[] };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      const res = await call(client.POST('/api/t/{tenant_id}/users', {
        params: { path: { tenant_id: tenantId } },
        body: {
          username: v.username.trim(),
          displayName: v.displayName.trim(),
          staffId: v.staffId ?? null,
          roles: v.roles ?? [],
        },
      }));
      onClose({ username: res.user.username, password: res.oneTimePassword });
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
      title={t('users.new')}
      onClose={() => onClose(null)}
      destroyOnClose
      extra={
        <Button type="primary" loading={saving} data-testid="user-save" onClick={() => void save()}>
          {t('common.save')}
        </Button>
      }
    >
      <Form form={form} layout="vertical" requiredMark={false} initialValues={{ roles: ['clerk'] }} data-testid="user-form">
        <Form.Item
          name="username"
          label={t('users.username')}
          extra={t('onboard.usernameHelp')}
          rules={[
            { required: true, message: t('common.required') },
            { pattern: /^[a-z0-9][a-z0-9_.-]{2,63}$/, message: t('onboard.usernameHelp') },
          ]}
        >
          <Input data-testid="user-form-username" autoComplete="off" maxLength={64} />
        </Form.Item>
        <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input data-testid="user-form-display-name" maxLength={100} />
        </Form.Item>
        <Form.Item name="staffId" label={t('users.staff')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            data-testid="user-form-staff"
            options={staff.map((s) => ({ value: s.id, label: `${s.name}（${s.employeeNo}）` }))}
          />
        </Form.Item>
        <Form.Item name="roles" label={t('users.roles')}>
          <Checkbox.Group data-testid="user-form-roles">
            <Space direction="vertical">
              {CENTER_ROLES.map((r) => (
                <Checkbox key={r} value={r} data-testid={`user-form-role-${r}`}>
                  {roleLabel(t, r)}
                </Checkbox>
              ))}
            </Space>
          </Checkbox.Group>
        </Form.Item>
      </Form>
    </Drawer>
  );
}

function AssignModal({ tenantId, users, onClose }: { tenantId: string; users: UserRow[]; onClose: (done: boolean) => void }) {
  const { t } = useI18n();
  const onError = useApiError();
  const [form] = Form.useForm<{ userId: string; role: string }>();
  const [saving, setSaving] = useState(false);
  return (
    <Modal
      open
      title={t('users.assign')}
      onCancel={() => onClose(false)}
      confirmLoading={saving}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={async () => {
        let v: { userId: string; role: string };
        try {
          v = await form.validateFields();
        } catch {
          return;
        }
        setSaving(true);
        try {
          await call(client.POST('/api/t/{tenant_id}/roles', { params: { path: { tenant_id: tenantId } }, body: v }));
          onClose(true);
        } catch (err) {
          onError(err, form);
        } finally {
          setSaving(false);
        }
      }}
    >
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item name="userId" label={t('users.account')} rules={[{ required: true, message: t('common.required') }]}>
          <Select showSearch optionFilterProp="label" options={users.map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }))} />
        </Form.Item>
        <Form.Item name="role" label={t('users.role')} rules={[{ required: true, message: t('common.required') }]}>
          <Select options={CENTER_ROLES.map((r) => ({ value: r, label: roleLabel(t, r) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
