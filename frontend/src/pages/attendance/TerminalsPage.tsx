// /terminals: the center's attendance terminals — register one by serial number, see its last contact,
// how far its data is complete and its backlog (records it holds that the server has not received).
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { ScopeBanner, useApiError, useTenant } from '../admin/shared';
import { RegisterDevice } from '../devices/RegisterDevice';
import { attendanceApi } from './attendanceApi';
import type { Terminal } from './attendanceApi';

function when(v: string | null): string {
  return v ? dayjs(v).format('MM-DD HH:mm') : '—';
}

export default function TerminalsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const tenant = useTenant();
  const onError = useApiError();
  const [rows, setRows] = useState<Terminal[] | null>(null);
  const [registering, setRegistering] = useState(false);

  const load = useCallback(() => {
    if (!tenant.id) return;
    attendanceApi.terminals(tenant.id).then(setRows).catch(onError);
  }, [tenant.id, onError]);
  useEffect(() => {
    load();
    const timer = window.setInterval(load, 60_000);
    return () => window.clearInterval(timer);
  }, [load]);

  const columns: ColumnsType<Terminal> = [
    {
      title: t('att.term.serial'),
      dataIndex: 'serialNumber',
      render: (s: string, r) => (
        <>
          <code>{s}</code>
          <div style={{ color: '#888' }}>{r.name}</div>
        </>
      ),
    },
    {
      title: t('att.term.state'),
      key: 'state',
      render: (_: unknown, r) => {
        if (r.revoked) return <Tag color="red">{t('att.term.revoked')}</Tag>;
        const stale = !r.lastContactAt || dayjs().diff(dayjs(r.lastContactAt), 'minute') > 60;
        return stale ? (
          <Tag color="orange">{r.lastContactAt ? t('att.term.stale') : t('att.term.never')}</Tag>
        ) : (
          <Tag color="green">{t('att.term.active')}</Tag>
        );
      },
    },
    { title: t('att.term.lastContact'), dataIndex: 'lastContactAt', render: (v: string | null) => <span data-testid="term-contact">{when(v)}</span> },
    { title: t('att.term.lastPunch'), dataIndex: 'lastPunchAt', render: when },
    { title: t('att.term.syncedUntil'), dataIndex: 'syncedUntil', render: when },
    { title: t('att.term.received'), dataIndex: 'receivedCount' },
    { title: t('att.term.deviceCount'), dataIndex: 'deviceRecordCount', render: (v: number | null) => v ?? '—' },
    {
      title: t('att.term.backlog'),
      dataIndex: 'backlog',
      render: (v: number | null) =>
        v === null ? '—' : <Tag color={v > 0 ? 'orange' : 'green'} data-testid="term-backlog">{v}</Tag>,
    },
    {
      title: t('att.term.rejected'),
      dataIndex: 'rejectedLines7d',
      render: (v: number, r) =>
        v ? (
          <Tooltip title={r.lastError ?? ''}>
            <Tag color="red">{v}</Tag>
          </Tooltip>
        ) : (
          0
        ),
    },
  ];

  return (
    <div data-testid="page-terminals">
      <ScopeBanner />
      <Card
        title={<span data-testid="page-title">{t('att.term.title')}</span>}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={load} style={{ marginRight: 8 }} />
            {can('device:write') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setRegistering(true)} data-testid="terminal-new">
                {t('att.term.register')}
              </Button>
            )}
          </>
        }
      >
        <Alert type="info" showIcon message={t('att.term.intro')} style={{ marginBottom: 12 }} />
        <Table<Terminal>
          rowKey="serialNumber"
          size="middle"
          loading={rows === null}
          columns={columns}
          dataSource={rows ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('att.term.none') }}
          data-testid="terminal-table"
        />
      </Card>
      <RegisterDevice tenantId={tenant.id} open={registering} onClose={() => setRegistering(false)} onRegistered={load} />
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
        ADMS: <code>http(s)://&lt;server&gt;/iclock/cdata</code> · JSON: <code>POST /api/devices/punches</code>
      </Typography.Paragraph>
    </div>
  );
}
