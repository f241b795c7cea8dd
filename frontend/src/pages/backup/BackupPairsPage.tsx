// AB岗: pairs of staff who cover each other's post.
import { useState } from 'react';
import { Button, Card, Form, Input, Select, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PlusOutlined, SwapOutlined } from '@ant-design/icons';
import { call, client } from '../../api';
import type { Schemas } from '../../api';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { DeleteAction, ScopeBanner, useAll, useTenant } from '../admin/shared';
import { EditModal } from '../org/OrgPage';

type Pair = Schemas['BackupPair'];

export default function BackupPairsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const tenant = useTenant();
  const pairs = useAll('/api/t/{tenant_id}/backup-pairs', tenant.id);
  const staff = useAll('/api/t/{tenant_id}/staff', tenant.id);
  const [creating, setCreating] = useState(false);
  const writable = can('staff:write');
  const name = (id: string) => {
    const s = staff.items.find((x) => x.id === id);
    return s ? `${s.name}（${s.employeeNo}）` : '—';
  };
  const options = staff.items.filter((s) => s.status === 'active').map((s) => ({ value: s.id, label: `${s.name}（${s.employeeNo}）` }));

  const columns: ColumnsType<Pair> = [
    { title: t('backup.postA'), dataIndex: 'staffAId', render: name },
    { title: '', key: 'swap', width: 40, render: () => <SwapOutlined /> },
    { title: t('backup.postB'), dataIndex: 'staffBId', render: name },
    { title: t('backup.note'), dataIndex: 'note', responsive: ['md'] },
    ...(writable
      ? [
          {
            title: t('common.actions'),
            key: 'a',
            width: 90,
            render: (_: unknown, row: Pair) => (
              <DeleteAction
                remove={() => call(client.DELETE('/api/t/{tenant_id}/backup-pairs/{pair_id}', {
                  params: { path: { tenant_id: tenant.id, pair_id: row.id } } }))}
                onDone={pairs.reload}
              />
            ),
          },
        ]
      : []),
  ];

  return (
    <div data-testid="page-backup">
      <ScopeBanner />
      <Card
        title={<span data-testid="page-title">{t('backup.title')}</span>}
        extra={
          writable && (
            <Button type="primary" icon={<PlusOutlined />} data-testid="pair-new" onClick={() => setCreating(true)}>
              {t('backup.new')}
            </Button>
          )
        }
      >
        <Table<Pair> rowKey="id" size="middle" data-testid="pair-table" columns={columns} dataSource={pairs.items} pagination={{ pageSize: 50, hideOnSinglePage: true }} />
      </Card>
      {creating && (
        <EditModal<{ staffAId: string; staffBId: string; note?: string }>
          title={t('backup.new')}
          testId="pair-form"
          initial={{}}
          onCancel={() => setCreating(false)}
          onSave={async (v) => {
            await call(client.POST('/api/t/{tenant_id}/backup-pairs', {
              params: { path: { tenant_id: tenant.id } },
              body: { staffAId: v.staffAId, staffBId: v.staffBId, note: v.note || null } }));
            setCreating(false);
            pairs.reload();
          }}
        >
          <Form.Item name="staffAId" label={t('backup.postA')} rules={[{ required: true, message: t('common.required') }]}>
            <Select showSearch optionFilterProp="label" options={options} data-testid="pair-a" />
          </Form.Item>
          <Form.Item name="staffBId" label={t('backup.postB')} rules={[{ required: true, message: t('common.required') }]}>
            <Select showSearch optionFilterProp="label" options={options} data-testid="pair-b" />
          </Form.Item>
          <Form.Item name="note" label={t('backup.note')}>
            <Input maxLength={200} />
          </Form.Item>
        </EditModal>
      )}
    </div>
  );
}
