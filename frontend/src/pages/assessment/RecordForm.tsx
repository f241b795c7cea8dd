// 记录违规 on a phone: window -> person (or the window itself, for the catalogue's window items) -> kind from the
// center's catalogue (searchable in Chinese) -> quantity -> note; a few taps, big controls, inline validation.
// The same form records a bonus (加分) from the bonus catalogue.
import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/query';
import { Alert, App as AntApp, Button, Card, DatePicker, Form, Input, InputNumber, Result, Segmented, Select, Space, Tag } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import FileUpload from '../../components/FileUpload';
import { useI18n } from '../../i18n';
import { useApiError } from '../admin/shared';
import { assessmentApi } from './assessmentApi';
import type { Catalogue, RecordIn, RecordView, WindowOption } from './assessmentApi';
import { fmt, useLabel } from './labels';

interface Values {
  windowKey: string;
  staffId: string;
  kind: string;
  quantity: number;
  points?: number;
  day: Dayjs;
  source: string;
  note?: string;
  evidence?: string[];
}

const SOURCES = ['patrol', 'complaint', 'meeting', 'case', 'manual'];
const WINDOW = '@window';

export default function RecordForm({ tenantId }: { tenantId: string }) {
  const { t, lang } = useI18n();
  const label = useLabel();
  const onError = useApiError();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const windows: WindowOption[] | null = useQuery({
    queryKey: keys.tenant(tenantId, 'assessment', 'recordable'),
    queryFn: ({ signal }) => assessmentApi.recordable(tenantId, signal),
  }).data ?? null;
  const catalogue: Catalogue | null = useQuery({
    queryKey: keys.tenant(tenantId, 'assessment', 'catalogue', null),
    queryFn: ({ signal }) => assessmentApi.catalogue(tenantId, undefined, signal),
  }).data ?? null;
  const [done, setDone] = useState<RecordView | null>(null);
  const [saving, setSaving] = useState(false);
  const [type, setType] = useState<'violation' | 'bonus'>('violation');
  const windowKey = Form.useWatch('windowKey', form);
  const kind = Form.useWatch('kind', form);
  const staffId = Form.useWatch('staffId', form);


  const people = useMemo(() => windows?.find((w) => (w.id ?? 'none') === windowKey)?.staff ?? [], [windows, windowKey]);
  const items = useMemo(() => (type === 'bonus' ? catalogue?.bonuses : catalogue?.violations) ?? [], [catalogue, type]);
  const hasWindowItems = items.some((v) => v.subject === 'window');
  const subject = staffId === WINDOW ? 'window' : 'staff';
  const item = items.find((v) => v.key === kind);

  if (done) {
    return (
      <div data-testid="record-done">
      <Result
        status="success"
        title={t('as.rec.done', { name: done.staffName ?? done.windowLabel ?? '', kind: done.name })}
        subTitle={`${done.day} · ${done.clause}`}
        extra={
          <Button type="primary" size="large" onClick={() => { setDone(null); form.setFieldsValue({ kind: undefined, note: undefined, quantity: 1, evidence: [] }); }}
            data-testid="record-another">
            {t('as.rec.another')}
          </Button>
        }
      />
      </div>
    );
  }
  if (windows && windows.length === 0) return <Alert type="info" showIcon message={t('as.rec.none')} />;
  return (
    <Card size="small" loading={!windows || !catalogue} className="as-record" data-testid="record-form">
      <Form
        form={form}
        layout="vertical"
        size="large"
        initialValues={{ quantity: 1, day: dayjs(), source: 'patrol' }}
        onFinish={async (v) => {
          setSaving(true);
          try {
            const body: RecordIn = {
              kind: v.kind, day: v.day.format('YYYY-MM-DD'), quantity: v.quantity,
              ...(v.staffId === WINDOW ? { windowId: v.windowKey } : { staffId: v.staffId }),
              points: item && item.pointsMax > 0 ? v.points : undefined, source: v.source as RecordIn['source'], note: v.note || undefined, evidence: v.evidence ?? [],
            };
            const row = await (type === 'bonus' ? assessmentApi.recordBonus : assessmentApi.record)(tenantId, body);
            message.success(t('as.rec.done', { name: row.staffName ?? '', kind: row.name }));
            setDone(row);
          } catch (err) {
            onError(err, form);
          } finally {
            setSaving(false);
          }
        }}
      >
        <Form.Item>
          <Segmented block value={type} data-testid="rec-type"
            onChange={(v) => { setType(v as 'violation' | 'bonus'); form.setFieldValue('kind', undefined); }}
            options={[{ value: 'violation', label: t('as.rec.typeViolation') }, { value: 'bonus', label: t('as.rec.typeBonus') }]} />
        </Form.Item>
        <Form.Item name="windowKey" label={t('as.rec.window')} rules={[{ required: true, message: t('as.rec.required') }]}>
          <Select
            data-testid="rec-window"
            showSearch
            optionFilterProp="label"
            onChange={() => form.setFieldValue('staffId', undefined)}
            options={(windows ?? []).map((w) => ({
              value: w.id ?? 'none',
              label: w.departmentName ? `${w.label}（${w.departmentName}）` : w.label,
            }))}
          />
        </Form.Item>
        <Form.Item name="staffId" label={t('as.rec.person')} rules={[{ required: true, message: t('as.rec.required') }]}>
          <Select
            data-testid="rec-person"
            showSearch
            optionFilterProp="label"
            disabled={!windowKey}
            onChange={() => form.setFieldValue('kind', undefined)}
            options={[
              ...(hasWindowItems && windowKey && windowKey !== 'none' ? [{ value: WINDOW, label: t('as.rec.theWindow') }] : []),
              ...people.map((p) => ({ value: p.id, label: `${p.name} ${p.employeeNo}` })),
            ]}
          />
        </Form.Item>
        <Form.Item name="kind" label={type === 'bonus' ? t('as.rec.bonusKind') : t('as.rec.kind')} rules={[{ required: true, message: t('as.rec.required') }]}>
          <Select
            data-testid="rec-kind"
            showSearch
            placeholder={type === 'bonus' ? t('as.rec.bonusSearch') : t('as.rec.kindSearch')}
            filterOption={(input, opt) => String(opt?.search ?? '').toLowerCase().includes(input.toLowerCase())}
            options={items.filter((v) => type === 'bonus' || (v.subject || 'staff') === subject).map((v) => ({
              value: v.key,
              search: `${v.name} ${v.nameEn} ${v.categoryName} ${v.key}`,
              label: `${lang === 'en' ? v.nameEn : v.name}（${v.categoryName}，${type === 'bonus' ? '+' : ''}${
                v.pointsMax > 0 ? `${fmt(v.pointsMin)}—${fmt(v.pointsMax)}` : v.points.map(fmt).join('/')}）`,
            }))}
          />
        </Form.Item>
        {item && (
          <Space wrap style={{ marginBottom: 12 }}>
            <Tag>{item.clause}</Tag>
            {item.evidenceRequired && <Tag color="orange">{t('as.rec.evidenceRequired')}</Tag>}
            {item.immediateReturn && <Tag color="red">{t('as.rec.immediate')}</Tag>}
          </Space>
        )}
        {item && item.pointsMax > 0 && (
          <Form.Item name="points" label={t('as.rec.points', { min: fmt(item.pointsMin), max: fmt(item.pointsMax) })}
            rules={[{ required: true, message: t('as.rec.required') }]}>
            <InputNumber min={item.pointsMin} max={item.pointsMax} step={1} style={{ width: '100%' }} />
          </Form.Item>
        )}
        <Space.Compact block>
          <Form.Item name="quantity" label={t('as.rec.quantity')} rules={[{ required: true }]} style={{ flex: 1 }}>
            <InputNumber min={0.5} max={100} step={1} style={{ width: '100%' }} data-testid="rec-quantity" />
          </Form.Item>
          <Form.Item name="day" label={t('as.rec.day')} rules={[{ required: true }]} style={{ flex: 1, marginLeft: 8 }}>
            <DatePicker allowClear={false} disabledDate={(d) => d.isAfter(dayjs(), 'day')} style={{ width: '100%' }} />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="source" label={t('as.rec.source')}>
          <Select options={SOURCES.map((s) => ({ value: s, label: label('as.source', s) }))} />
        </Form.Item>
        <Form.Item name="evidence" label={t('as.rec.photo')}
          rules={item?.evidenceRequired ? [{ required: true, message: t('as.rec.evidenceRequired') }] : []}>
          <FileUpload tenantId={tenantId} purpose="assessment.evidence" imagesOnly capture maxCount={4} data-testid="rec-photo" />
        </Form.Item>
        <Form.Item name="note" label={t('as.rec.note')}>
          <Input.TextArea rows={2} maxLength={500} data-testid="rec-note" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={saving} data-testid="rec-submit">
          {t('as.rec.submit')}
        </Button>
      </Form>
    </Card>
  );
}
