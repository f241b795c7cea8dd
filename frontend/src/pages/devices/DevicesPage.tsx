// Attendance terminals of the center: register (token shown once), list, limit the addresses a terminal may
// connect from (its serial number alone is a weak credential for ZKTeco push terminals), revoke.
import { useState } from 'react';
import { App as AntApp, Button, Card, Form, Input, Popconfirm, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { call, client } from '../../api';
import type { Schemas } from '../../api';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { RegisterDevice } from './RegisterDevice';
import { EditModal } from '../org/OrgPage';
import { ScopeBanner, useApiError, usePaged, useTenant } from '../admin/shared';

type Device = Schemas['Device'];

/** "10.1.2.0/24, 10.1.3.7" or one per line -> ["10.1.2.0/24", "10.1.3.7"]; the server normalises and checks. */
function splitNetworks(text: string | undefined): string[] {
  return (text ?? '').split(/[\s,，;；]+/).map((x) => x.trim()).filter(Boolean);
}

export default function DevicesPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const tenant = useTenant();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const list = usePaged('/api/t/{tenant_id}/devices', tenant.id, 50);
  const [registering, setRegistering] = useState(false);
  const [editing, setEditing] = useState<Device | null>(null);
  const writable = can('device:write');

  const columns: ColumnsType<Device> = [
    { title: t('devices.serial'), dataIndex: 'serialNumber', render: (s: string) => <code>{s}</code> },
    { title: t('devices.name'), dataIndex: 'name' },
    { title: t('devices.lastSeen'), dataIndex: 'lastSeenAt', render: (v: string | null) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm') : '—') },
    {
      title: t('devices.networks'),
      dataIndex: 'allowedNetworks',
      render: (nets: string[], row: Device) => (
        <span data-testid={`device-networks-${row.serialNumber}`}>
          {nets.length ? nets.map((n) => <Tag key={n}>{n}</Tag>) : <Tag color="orange">{t('devices.anyAddress')}</Tag>}
        </span>
      ),
    },
    {
      title: t('devices.state'),
      dataIndex: 'revokedAt',
      width: 100,
      render: (v: string | null) => (v ? <Tag color="red">{t('devices.revoked')}</Tag> : <Tag color="green">{t('devices.active')}</Tag>),
    },
    ...(writable
      ? [
          {
            title: t('common.actions'),
            key: 'a',
            width: 180,
            render: (_: unknown, row: Device) =>
              row.revokedAt ? null : (
                <Space size={0}>
                  <Button type="link" size="small" data-testid={`device-edit-networks-${row.serialNumber}`} onClick={() => setEditing(row)}>
                    {t('devices.editNetworks')}
                  </Button>
                  <Popconfirm
                    title={t('devices.confirmRevoke')}
                    onConfirm={async () => {
                      try {
                        await call(client.POST('/api/t/{tenant_id}/devices/{device_id}/revoke', {
                          params: { path: { tenant_id: tenant.id, device_id: row.id } } }));
                        message.success(t('common.saved'));
                        list.reload();
                      } catch (err) {
                        onError(err);
                      }
                    }}
                  >
                    <Button type="link" size="small" danger>
                      {t('devices.revoke')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]
      : []),
  ];

  return (
    <div data-testid="page-devices">
      <ScopeBanner />
      <Card
        title={<span data-testid="page-title">{t('devices.title')}</span>}
        extra={
          writable && (
            <Button type="primary" icon={<PlusOutlined />} data-testid="device-new" onClick={() => setRegistering(true)}>
              {t('devices.register')}
            </Button>
          )
        }
      >
        <Table<Device> rowKey="id" size="middle" data-testid="device-table" loading={list.loading} columns={columns} dataSource={list.items} pagination={false} scroll={{ x: 760 }} />
      </Card>
      <RegisterDevice tenantId={tenant.id} open={registering} onClose={() => setRegistering(false)} onRegistered={list.reload} />
      {editing && (
        <EditModal<{ allowedNetworks?: string }>
          title={`${t('devices.editNetworks')}：${editing.name}`}
          testId="device-networks-form"
          initial={{ allowedNetworks: (editing.allowedNetworks ?? []).join('\n') }}
          onCancel={() => setEditing(null)}
          onSave={async (v) => {
            await call(client.PATCH('/api/t/{tenant_id}/devices/{device_id}', {
              params: { path: { tenant_id: tenant.id, device_id: editing.id } },
              body: { allowedNetworks: splitNetworks(v.allowedNetworks) } }));
            setEditing(null);
            list.reload();
          }}
        >
          <Form.Item name="allowedNetworks" label={t('devices.networks')} extra={t('devices.networksHelp')}>
            <Input.TextArea rows={4} placeholder={'10.12.0.0/16\n192.168.1.20'} data-testid="device-networks-input" />
          </Form.Item>
        </EditModal>
      )}
    </div>
  );
}
