// 例会: the month's meeting day (moved past holidays), the code shown in the room, sign-in, marks by the duty
// officer and the close that records late, early and absent staff in the assessment.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { keys } from '../../api/query';
import { Alert, Button, Card, DatePicker, Descriptions, Input, List, Select, Space, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n';
import { useApiError } from '../admin/shared';
import { meetingApi } from './supervisionApi';
import type { MeetingOut } from './supervisionApi';

const COLOR: Record<string, string> = { present: 'green', late: 'orange', early: 'orange', absent: 'red' };
const MARKS = ['present', 'late', 'early', 'absent'] as const;

export default function MeetingTab({ tenantId, today }: { tenantId: string; today: Dayjs }) {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const onError = useApiError();
  const [month, setMonth] = useState<Dayjs>(() => today.startOf('month'));

  const [code, setCode] = useState('');
  const runner = can('patrol:record');
  const key = month.format('YYYY-MM');
  const queryClient = useQueryClient();
  const queryKey = keys.tenant(tenantId, 'supervision', 'meeting', key);
  const m: MeetingOut | null = useQuery({ queryKey, queryFn: ({ signal }) => meetingApi.get(tenantId, key, signal) }).data ?? null;
  // an action's answer is the meeting of the month it was taken for
  const act = (p: Promise<MeetingOut>) => p.then((out) => queryClient.setQueryData(queryKey, out)).catch(onError);
  if (!m) return null;
  const time = new Date(m.startsAt).toLocaleTimeString(lang === 'en' ? 'en-GB' : 'zh-CN', { hour: '2-digit', minute: '2-digit' });
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="meeting">
      <DatePicker picker="month" value={month} allowClear={false} onChange={(v) => v && setMonth(v.startOf('month'))} />
      <Card size="small">
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('sv.meeting.day')}>
            <span data-testid="meeting-day">{m.day} {time}</span>
            {m.moved && <Tag color="orange" style={{ marginLeft: 8 }}>{t('sv.meeting.moved', { day: m.nominalDay })}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label={t('sv.meeting.status')}>{t(`sv.meeting.status.${m.status}` as MessageKey)}</Descriptions.Item>
          {m.code && <Descriptions.Item label={t('sv.meeting.code')}>
            <Typography.Title level={2} style={{ margin: 0, letterSpacing: 8 }} data-testid="meeting-code">{m.code}</Typography.Title>
          </Descriptions.Item>}
        </Descriptions>
        {runner && m.status === 'planned' && (
          <Button type="primary" onClick={() => act(meetingApi.open(tenantId, key))} data-testid="meeting-open">{t('sv.meeting.open')}</Button>
        )}
        {m.id && m.status === 'open' && !runner && (
          m.signedIn ? <Alert type="success" showIcon message={t('sv.meeting.signedIn')} /> : (
            <Space.Compact style={{ width: '100%' }}>
              <Input value={code} onChange={(e) => setCode(e.target.value)} maxLength={8} inputMode="numeric"
                placeholder={t('sv.meeting.code')} data-testid="meeting-code-input" />
              <Button type="primary" onClick={() => act(meetingApi.signIn(tenantId, m.id!, code))} data-testid="meeting-sign-in">
                {t('sv.meeting.signIn')}
              </Button>
            </Space.Compact>
          )
        )}
      </Card>
      {runner && m.id && (
        <Card size="small" title={t('sv.meeting.attendees')} extra={m.status === 'open' && (
          <Button danger onClick={() => act(meetingApi.close(tenantId, m.id!))} data-testid="meeting-close">{t('sv.meeting.close')}</Button>)}>
          <List size="small" dataSource={m.attendees} renderItem={(x) => (
            <List.Item extra={m.status === 'open' ? (
              <Select size="small" style={{ width: 110 }} value={x.status ?? undefined} placeholder={t('sv.meeting.mark')}
                options={MARKS.map((k) => ({ value: k, label: t(`sv.meeting.att.${k}`) }))}
                onChange={(v: string) => act(meetingApi.mark(tenantId, m.id!, x.staffId, v))} />
            ) : null}>
              <Space>
                <span>{x.name}</span>
                {x.status && <Tag color={COLOR[x.status]}>{t(`sv.meeting.att.${x.status as (typeof MARKS)[number]}`)}</Tag>}
                {x.violationId && <Tag color="red">{t('sv.deduction')}</Tag>}
              </Space>
            </List.Item>
          )} />
        </Card>
      )}
    </Space>
  );
}
