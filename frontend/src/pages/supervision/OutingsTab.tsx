// 外出报备 and 脱岗: a staff member reports a business outing (reason, place, expected return); the duty officer
// approves it when the rules ask for that and sees who is out; off-post timers started by patrols are stopped here
// when the person is back (the length goes to attendance).
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { keys } from '../../api/query';
import { App as AntApp, Button, Card, Form, Input, List, Space, Tag, TimePicker, Typography } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n';
import { useApiError } from '../admin/shared';
import { outingApi } from './supervisionApi';
import type { OffPostTimer, Outing } from './supervisionApi';

const STATUS_COLOR: Record<Outing['status'], string> = { reported: 'orange', approved: 'blue', rejected: 'default', returned: 'green' };

export default function OutingsTab({ tenantId }: { tenantId: string }) {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const [form] = Form.useForm<{ reason: string; place: string; back: Dayjs }>();
  const queryClient = useQueryClient();
  const outings: Outing[] = useQuery({
    queryKey: keys.tenant(tenantId, 'supervision', 'outings'),
    queryFn: ({ signal }) => outingApi.list(tenantId, signal),
  }).data ?? [];
  const [busy, setBusy] = useState(false);
  const canApprove = can('outing:approve');
  const canTime = can('patrol:record');
  const timers: OffPostTimer[] = useQuery({
    queryKey: keys.tenant(tenantId, 'supervision', 'off-post'),
    queryFn: ({ signal }) => outingApi.timers(tenantId, signal),
    enabled: canTime,
  }).data ?? [];
  const load = () => {
    void queryClient.invalidateQueries({ queryKey: keys.tenant(tenantId, 'supervision', 'outings') });
    void queryClient.invalidateQueries({ queryKey: keys.tenant(tenantId, 'supervision', 'off-post') });
  };
  const hhmm = (iso: string) => new Date(iso).toLocaleTimeString(lang === 'en' ? 'en-GB' : 'zh-CN', { hour: '2-digit', minute: '2-digit' });

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const back = dayjs().hour(v.back.hour()).minute(v.back.minute()).second(0);
      const out = await outingApi.report(tenantId, { reason: v.reason, place: v.place, expectedBack: back.format() });
      void message.success(out.status === 'approved' ? t('sv.outing.reported') : t('sv.outing.waiting'));
      form.resetFields();
      load();
    } catch (err) {
      onError(err, form);
    } finally {
      setBusy(false);
    }
  };
  const act = (p: Promise<unknown>) => p.then(load).catch(onError);

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="outings">
      <Card size="small" title={t('sv.outing.new')}>
        <Form form={form} layout="vertical">
          <Form.Item name="reason" label={t('sv.outing.reason')} rules={[{ required: true, message: t('common.required') }]}>
            <Input maxLength={200} data-testid="outing-reason" />
          </Form.Item>
          <Form.Item name="place" label={t('sv.outing.place')} rules={[{ required: true, message: t('common.required') }]}>
            <Input maxLength={200} data-testid="outing-place" />
          </Form.Item>
          <Form.Item name="back" label={t('sv.outing.back')} rules={[{ required: true, message: t('common.required') }]}>
            <TimePicker format="HH:mm" minuteStep={5} inputReadOnly data-testid="outing-back" style={{ width: '100%' }} />
          </Form.Item>
          <Button type="primary" size="large" block loading={busy} onClick={submit} data-testid="outing-submit">
            {t('sv.outing.submit')}
          </Button>
        </Form>
      </Card>
      <Card size="small" title={t('sv.outing.today')}>
        <List size="small" dataSource={outings} locale={{ emptyText: t('sv.outing.none') }} renderItem={(o) => (
          <List.Item data-testid="outing-row" actions={[
            ...(canApprove && o.status === 'reported' ? [
              <Button key="ok" size="small" type="primary" onClick={() => act(outingApi.decide(tenantId, o.id, true))} data-testid="outing-approve">{t('sv.outing.approve')}</Button>,
              <Button key="no" size="small" danger onClick={() => act(outingApi.decide(tenantId, o.id, false))}>{t('sv.outing.reject')}</Button>,
            ] : []),
            ...(o.status === 'approved' ? [
              <Button key="back" size="small" onClick={() => act(outingApi.back(tenantId, o.id))} data-testid="outing-returned">{t('sv.outing.returned')}</Button>,
            ] : []),
          ]}>
            <Space direction="vertical" size={0}>
              <Space wrap>
                <strong>{o.staffName}</strong>
                <Tag color={STATUS_COLOR[o.status]}>{t(`sv.outing.status.${o.status}` as MessageKey)}</Tag>
                {o.overdue && <Tag color="red">{t('sv.outing.overdue')}</Tag>}
              </Space>
              <span>{o.place} · {o.reason}</span>
              <Typography.Text type="secondary">
                {hhmm(o.leavesAt)} – {hhmm(o.returnedAt ?? o.expectedBack)}
              </Typography.Text>
            </Space>
          </List.Item>
        )} />
      </Card>
      {canTime && (
        <Card size="small" title={t('sv.offPost.title')}>
          <List size="small" dataSource={timers} locale={{ emptyText: t('sv.offPost.none') }} renderItem={(x) => (
            <List.Item data-testid="off-post-row" actions={x.stoppedAt ? [] : [
              <Button key="stop" danger size="small" onClick={() => act(outingApi.stop(tenantId, x.id))} data-testid="off-post-stop">{t('sv.offPost.stop')}</Button>,
            ]}>
              <Space wrap>
                <strong>{x.staffName}</strong>
                <span>{hhmm(x.startedAt)}{x.stoppedAt ? ` – ${hhmm(x.stoppedAt)}` : ''}</span>
                <Tag color={x.stoppedAt ? 'default' : 'red'}>{t('sv.offPost.minutes', { n: x.minutes ?? x.runningMinutes })}</Tag>
              </Space>
            </List.Item>
          )} />
        </Card>
      )}
    </Space>
  );
}
