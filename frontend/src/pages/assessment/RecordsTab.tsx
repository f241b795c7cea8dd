// 考核记录: the violation and bonus records the user may see (the center, or a chief's own department), paged and
// filtered. Nothing is deleted: 作废 (void, with a reason) and 更正 (a correction: a new record pointing to the old
// one, which becomes void) are audited records of their own.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/query';
import { App as AntApp, Button, DatePicker, Form, Input, InputNumber, Modal, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useI18n } from '../../i18n';
import { useApiError } from '../admin/shared';
import { assessmentApi } from './assessmentApi';
import type { Catalogue, RecordIn, RecordPage, RecordQuery, RecordView } from './assessmentApi';
import { MonthPicker, StatusTag, fmt, lastMonth, useLabel } from './labels';

type Kind = 'violation' | 'bonus';
interface AmendForm { reason: string; kind: string; day: dayjs.Dayjs; quantity: number; points?: number; note?: string }

export default function RecordsTab({ tenantId, canVoid }: { tenantId: string; canVoid: boolean }) {
  const { t, lang } = useI18n();
  const label = useLabel();
  const onError = useApiError();
  const { message } = AntApp.useApp();
  const [type, setType] = useState<Kind>('violation');
  const [month, setMonth] = useState(lastMonth());
  const [source, setSource] = useState<RecordQuery['source']>();
  const [status, setStatus] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const query = { month, page, pageSize: 20, ...(type === 'violation' ? { source, status } : {}) };
  const records = useQuery({
    queryKey: keys.tenant(tenantId, 'assessment', 'records', type, query),
    queryFn: ({ signal }) =>
      type === 'bonus' ? assessmentApi.bonuses(tenantId, query, signal) : assessmentApi.records(tenantId, query, signal),
  });
  const data: RecordPage | null = records.data ?? null;
  const [voiding, setVoiding] = useState<RecordView | null>(null);
  const [amending, setAmending] = useState<RecordView | null>(null);
  const catalogue: Catalogue | null = useQuery({
    queryKey: keys.tenant(tenantId, 'assessment', 'catalogue', month),
    queryFn: ({ signal }) => assessmentApi.catalogue(tenantId, month, signal),
    enabled: canVoid,
  }).data ?? null;
  const [reason, setReason] = useState('');
  const [form] = Form.useForm<AmendForm>();
  const load = () => void records.refetch();
  const kind = Form.useWatch('kind', form);
  const items = (amending?.type === 'bonus' ? catalogue?.bonuses : catalogue?.violations) ?? [];
  const chosen = items.find((x) => x.key === kind);

  const openAmend = (r: RecordView) => {
    form.setFieldsValue({ reason: '', kind: r.kind, day: dayjs(r.day), quantity: r.quantity, points: r.points ?? undefined, note: r.note ?? '' });
    setAmending(r);
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="records">
      <Space wrap>
        <Segmented<Kind> value={type} data-testid="records-type"
          onChange={(v) => { setPage(1); setType(v); }}
          options={[{ value: 'violation', label: t('as.list.violations') }, { value: 'bonus', label: t('as.list.bonuses') }]} />
        <MonthPicker value={month} onChange={(m) => { setPage(1); setMonth(m); }} testId="records-month" />
        {type === 'violation' && (
          <>
            <Select allowClear placeholder={t('as.list.filterSource')} style={{ width: 120 }} value={source}
              onChange={(v) => { setPage(1); setSource(v); }}
              options={['attendance', 'patrol', 'complaint', 'case', 'meeting', 'manual'].map((s) => ({ value: s, label: label('as.source', s) }))} />
            <Select allowClear placeholder={t('as.list.filterStatus')} style={{ width: 120 }} value={status}
              onChange={(v) => { setPage(1); setStatus(v); }}
              options={['recorded', 'appealed', 'upheld', 'reduced', 'overturned', 'void'].map((s) => ({ value: s, label: label('as.status', s) }))} />
          </>
        )}
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
                <Typography.Text>{r.name}{r.quantity !== 1 ? ` ×${fmt(r.quantity)}` : ''}{r.points != null ? `（${fmt(r.points)}${t('as.pointsUnit')}）` : ''}</Typography.Text>
                {r.note ? <Typography.Text type="secondary">{r.note}</Typography.Text> : null}
                {r.amendsId ? <Typography.Text type="secondary">{t('as.list.correction')}</Typography.Text> : null}
                {r.voidReason ? <Typography.Text type="secondary">{t('as.list.voidReason')}：{r.voidReason}</Typography.Text> : null}
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
                width: 110,
                render: (_: unknown, r: RecordView) => r.status === 'recorded' ? (
                  <Space size={0}>
                    {r.source !== 'attendance' && (
                      <Button size="small" type="link" onClick={() => openAmend(r)} data-testid="record-amend">{t('as.list.amend')}</Button>
                    )}
                    <Button size="small" type="link" danger onClick={() => { setReason(''); setVoiding(r); }} data-testid="record-void">
                      {t('as.list.void')}
                    </Button>
                  </Space>
                ) : null,
              }]
            : []),
        ]}
      />
      <Modal
        open={voiding !== null}
        title={voiding ? `${t('as.list.void')}：${voiding.staffName ?? voiding.windowLabel ?? ''} ${voiding.name}` : ''}
        onCancel={() => setVoiding(null)}
        okButtonProps={{ danger: true, disabled: !reason.trim() }}
        onOk={async () => {
          try {
            await (voiding!.type === 'bonus' ? assessmentApi.voidBonus : assessmentApi.voidRecord)(tenantId, voiding!.id, reason.trim());
            message.success(t('as.list.voided'));
            setVoiding(null);
            load();
          } catch (err) {
            onError(err);
          }
        }}
      >
        <Input.TextArea rows={3} placeholder={t('as.list.voidReason')} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} data-testid="void-reason" />
      </Modal>
      <Modal
        forceRender
        open={amending !== null}
        title={amending ? `${t('as.list.amend')}：${amending.staffName ?? amending.windowLabel ?? ''} ${amending.name}` : ''}
        onCancel={() => setAmending(null)}
        okButtonProps={{ 'data-testid': 'amend-ok' } as Record<string, string>}
        onOk={async () => {
          const v = await form.validateFields();
          const r = amending!;
          try {
            await assessmentApi.amend(tenantId, r.type, r.id, v.reason.trim(), {
              kind: v.kind, day: v.day.format('YYYY-MM-DD'), quantity: v.quantity, points: chosen && chosen.pointsMax > 0 ? v.points : undefined,
              note: v.note?.trim() || undefined, source: r.source as RecordIn['source'], staffId: r.staffId ?? undefined,
              windowId: r.staffId ? undefined : r.windowId ?? undefined, departmentId: r.staffId || r.windowId ? undefined : r.departmentId ?? undefined,
              evidence: r.evidence,
            });
            message.success(t('as.list.amended'));
            setAmending(null);
            load();
          } catch (err) {
            onError(err, form);
          }
        }}
      >
        <Typography.Paragraph type="secondary">{t('as.list.amendHelp')}</Typography.Paragraph>
        <Form form={form} layout="vertical">
          <Form.Item name="kind" label={t('as.list.item')} rules={[{ required: true }]}>
            <Select showSearch optionFilterProp="label"
              options={items.map((x) => ({ value: x.key, label: `${lang === 'en' ? x.nameEn : x.name}（${x.categoryName}）` }))} />
          </Form.Item>
          <Space.Compact block>
            <Form.Item name="day" label={t('as.rec.day')} rules={[{ required: true }]} style={{ flex: 1 }}>
              <DatePicker allowClear={false} disabledDate={(d) => d.isAfter(dayjs(), 'day')} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="quantity" label={t('as.rec.quantity')} rules={[{ required: true }]} style={{ flex: 1, marginLeft: 8 }}>
              <InputNumber min={0.5} max={100} style={{ width: '100%' }} data-testid="amend-quantity" />
            </Form.Item>
          </Space.Compact>
          {chosen && chosen.pointsMax > 0 && (
            <Form.Item name="points" label={t('as.rec.points', { min: fmt(chosen.pointsMin), max: fmt(chosen.pointsMax) })} rules={[{ required: true }]}>
              <InputNumber min={chosen.pointsMin} max={chosen.pointsMax} style={{ width: '100%' }} />
            </Form.Item>
          )}
          <Form.Item name="note" label={t('as.rec.note')}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
          <Form.Item name="reason" label={t('as.list.amendReason')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea rows={2} maxLength={500} data-testid="amend-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
