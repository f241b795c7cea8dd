// Attendance terminals of the center: register (token shown once), list, revoke.
import { useState } from 'react';
import { App as AntApp, Button, Card, Popconfirm, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api } from '../../api';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { RegisterDevice } from './RegisterDevice';
import { ScopeBanner, tenantPath, useApiError, usePaged, useTenant } from '../admin/shared';

interface Device {
  id: string;
  serialNumber: string;
  name: string;
  revokedAt: string | null;
  lastSeenAt: string | null;
  createdAt: string;
}

export default function DevicesPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const tenant = useTenant();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const list = usePaged<Device>(tenant.id ? tenantPath(tenant.id, 'devices') : null, 50);
  const [registering, setRegistering] = useState(false);
  const writable = can('device:write');

  const columns: ColumnsType<Device> = [
    { title: t('devices.serial'), dataIndex: 'serialNumber', render: (s: string) => <code>{s}</code> },
    { title: t('devices.name'), dataIndex: 'name' },
    { title: t('devices.lastSeen'), dataIndex: 'lastSeenAt', render: (v: string | null) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm') : '—') },
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
            width: 90,
            render: (_: unknown, row: Device) =>
              row.revokedAt ? null : (
                <Popconfirm
                  title={t('devices.confirmRevoke')}
                  onConfirm={async () => {
                    try {
                      await api.post(tenantPath(tenant.id, `devices/${row.id}/revoke`));
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
        <Table<Device> rowKey="id" size="middle" data-testid="device-table" loading={list.loading} columns={columns} dataSource={list.items} pagination={false} />
      </Card>
      <RegisterDevice tenantId={tenant.id} open={registering} onClose={() => setRegistering(false)} onRegistered={list.reload} />
    </div>
  );
}
