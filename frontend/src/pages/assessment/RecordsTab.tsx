// 考核记录: the records the user may see (the center, or a chief's own department), paged and filtered; void with
// a reason (never deleted).
import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Button, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useI18n } from '../../i18n';
import { useApiError } from '../admin/shared';
import { assessmentApi } from './assessmentApi';
import type { RecordPage, RecordView } from './assessmentApi';
import { MonthPicker, StatusTag, fmt, lastMonth, useLabel } from './labels';

export default function RecordsTab({ tenantId, canVoid }: { tenantId: string; canVoid: boolean }) {
  const { t } = useI18n();
  const label = useLabel();
  const onError = useApiError();
  const { message } = AntApp.useApp();
  const [month, setMonth] = useState(lastMonth());
  const [source, setSource] = useState<string | undefined>();
  const [status, setStatus] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<RecordPage | null>(null);
  const [voiding, setVoiding] = useState<RecordView | null>(null);
  const [reason, setReason] = useState('');
  const load = useCallback(() => {
    assessmentApi.records(tenantId, { month, source, status, page, pageSize: 20 }).then(setData).catch(onError);
  }, [tenantId, month, source, status, page, onError]);
  useEffect(load, [load]);
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="records">
      <Space wrap>
        <MonthPicker value={month} onChange={(m) => { setPage(1); setMonth(m); }} />
        <Select allowClear placeholder={t('as.list.filterSource')} style={{ width: 120 }} value={source}
          onChange={(v) => { setPage(1); setSource(v); }}
          options={['attendance', 'patrol', 'complaint', 'case', 'meeting', 'manual'].map((s) => ({ value: s, label: label('as.source', s) }))} />
        <Select allowClear placeholder={t('as.list.filterStatus')} style={{ width: 120 }} value={status}
          onChange={(v) => { setPage(1); setStatus(v); }}
          options={['recorded', 'appealed', 'upheld', 'reduced', 'overturned', 'void'].map((s) => ({ value: s, label: label('as.status', s) }))} />
      </Space>
      <Table<RecordView>
        rowKey="id"
        size="small"
        loading={data === null}
        dataSource={data?.items ?? []}
        scroll={{ x: 900 }}
        pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('as.rec.day'), dataIndex: 'day', width: 100 },
          { title: t('as.list.person'), render: (_, r) => r.staffName ?? r.windowLabel ?? r.departmentName, width: 110 },
          {
            title: t('as.list.item'),
            render: (_, r) => (
              <Space direction="vertical" size={0}>
                <Typography.Text>{r.name}{r.quantity !== 1 ? ` ×${fmt(r.quantity)}` : ''}</Typography.Text>
                {r.note ? <Typography.Text type="secondary">{r.note}</Typography.Text> : null}
              </Space>
            ),
          },
          { title: t('as.list.clause'), dataIndex: 'clause', width: 180 },
          { title: t('as.rec.source'), render: (_, r) => <Tag>{label('as.source', r.source)}</Tag>, width: 80 },
          { title: t('as.list.recorder'), render: (_, r) => r.recorderName ?? (r.source === 'attendance' ? t('as.recorderSystem') : ''), width: 100 },
          { title: t('as.list.filterStatus'), render: (_, r) => <StatusTag prefix="as.status" value={r.status} />, width: 90 },
          ...(canVoid
            ? [{
                title: '',
                width: 70,
                render: (_: unknown, r: RecordView) => r.status === 'recorded' ? (
                  <Button size="small" type="link" danger onClick={() => { setReason(''); setVoiding(r); }}>
                    {t('as.list.void')}
                  </Button>
                ) : null,
              }]
            : []),
        ]}
      />
      <Modal
        open={voiding !== null}
        title={voiding ? `${t('as.list.void')}：${voiding.staffName ?? ''} ${voiding.name}` : ''}
        onCancel={() => setVoiding(null)}
        okButtonProps={{ danger: true, disabled: !reason.trim() }}
        onOk={async () => {
          try {
            await assessmentApi.voidRecord(tenantId, voiding!.id, reason.trim());
            message.success(t('as.list.voided'));
            setVoiding(null);
            load();
          } catch (err) {
            onError(err);
          }
        }}
      >
        <Input.TextArea rows={3} placeholder={t('as.list.voidReason')} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
      </Modal>
    </Space>
  );
}
