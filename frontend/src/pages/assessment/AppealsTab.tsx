// 申诉处理: the appeals inbox; a decider other than the recorder upholds, reduces or overturns; the scorecard of a
import type { ButtonProps } from 'antd';
// closed month is recomputed at once.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/query';
import { App as AntApp, Button, Empty, Form, Input, InputNumber, List, Modal, Radio, Space, Switch, Typography } from 'antd';
import { useI18n } from '../../i18n';
import { useApiError } from '../admin/shared';
import { assessmentApi } from './assessmentApi';
import type { AppealView } from './assessmentApi';
import { StatusTag, fmt } from './labels';

interface DecisionForm {
  decision: 'uphold' | 'reduce' | 'overturn';
  note: string;
  newPoints?: number;
}

export default function AppealsTab({ tenantId }: { tenantId: string }) {
  const { t } = useI18n();
  const onError = useApiError();
  const { message } = AntApp.useApp();
  const [pendingOnly, setPendingOnly] = useState(true);
  const appeals = useQuery({
    queryKey: keys.tenant(tenantId, 'assessment', 'appeals', pendingOnly),
    queryFn: ({ signal }) => assessmentApi.appeals(tenantId, pendingOnly ? 'pending' : undefined, signal),
  });
  const items: AppealView[] | null = appeals.data ?? null;
  const [deciding, setDeciding] = useState<AppealView | null>(null);
  const [form] = Form.useForm<DecisionForm>();
  const decision = Form.useWatch('decision', form);
  const load = () => void appeals.refetch();
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="appeals">
      <Space>
        <Switch checked={pendingOnly} onChange={setPendingOnly} />
        <Typography.Text>{t('as.ap.filter')}</Typography.Text>
      </Space>
      {items && items.length === 0 ? <Empty description={t('as.ap.none')} /> : (
        <List
          loading={items === null}
          dataSource={items ?? []}
          renderItem={(a) => (
            <List.Item
              data-testid={`appeal-row-${a.id}`}
              actions={[
                a.status === 'pending' ? (
                  <Button key="d" type="primary" size="small" data-testid="decide-button"
                    onClick={() => { form.resetFields(); setDeciding(a); }}>{t('as.ap.decide')}</Button>
                ) : <StatusTag key="s" prefix="as.appealStatus" value={a.status} />,
              ]}
            >
              <List.Item.Meta
                title={`${a.staffName} · ${a.record.day} ${a.record.name}（${a.record.clause}）`}
                description={
                  <Space direction="vertical" size={0}>
                    <Typography.Text>{a.reason}</Typography.Text>
                    <Typography.Text type="secondary">
                      {t('as.recorder', { name: a.record.recorderName ?? t('as.recorderSystem') })} · {t('as.appealDeadline', { date: a.deadline })}
                    </Typography.Text>
                    {a.decisionNote ? <Typography.Text type="secondary">{a.decidedByName}：{a.decisionNote}</Typography.Text> : null}
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      )}
      <Modal
        open={deciding !== null}
        title={deciding ? `${t('as.ap.decide')}：${deciding.staffName} ${deciding.record.name}` : ''}
        onCancel={() => setDeciding(null)}
        okButtonProps={{ 'data-testid': 'decision-submit' } as ButtonProps}
        onOk={async () => {
          const v = await form.validateFields();
          try {
            const r = await assessmentApi.decide(tenantId, deciding!.id, v);
            message.success(r.totalAfter != null && r.totalBefore != null
              ? t('as.ap.decided', { before: fmt(r.totalBefore), after: fmt(r.totalAfter) }) : t('as.appealSent'));
            setDeciding(null);
            load();
          } catch (err) {
            onError(err, form);
          }
        }}
      >
        <Form form={form} layout="vertical" initialValues={{ decision: 'uphold' }}>
          <Form.Item name="decision">
            <Radio.Group data-testid="decision">
              <Radio.Button value="uphold">{t('as.ap.uphold')}</Radio.Button>
              <Radio.Button value="reduce">{t('as.ap.reduce')}</Radio.Button>
              <Radio.Button value="overturn">{t('as.ap.overturn')}</Radio.Button>
            </Radio.Group>
          </Form.Item>
          {decision === 'reduce' && (
            <Form.Item name="newPoints" label={t('as.ap.newPoints')} rules={[{ required: true }]}>
              <InputNumber min={0} max={100} step={0.5} />
            </Form.Item>
          )}
          <Form.Item name="note" label={t('as.ap.note')} rules={[{ required: true, message: t('as.appealReasonRequired') }]}>
            <Input.TextArea rows={3} maxLength={1000} data-testid="decision-note" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
