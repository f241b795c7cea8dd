// Today's sessions and dress code of the user's center (work_hours and uniform_seasons packs), on the home page.
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/query';
import { Card, Descriptions, Space, Tag, Typography } from 'antd';
import { call, client, pickText } from '../../api';
import type { Schemas } from '../../api';
import { useAuth } from '../../auth';
import { isMessageKey, useI18n } from '../../i18n';

type Today = Schemas['TodayOut'];

export default function TodayCard() {
  const { me, can } = useAuth();
  const { t, lang } = useI18n();
  const home = String(me?.tenant.id ?? '');
  // the card stays away when today cannot be read
  const today: Today | null = useQuery({
    queryKey: keys.tenant(home, 'today'),
    queryFn: ({ signal }) => call(client.GET('/api/t/{tenant_id}/today', { params: { path: { tenant_id: home } }, signal })),
    enabled: !!me && can('self:read'),
    meta: { silent: true },
  }).data ?? null;
  if (!today || (!today.schedule && !today.dressCode)) return null;
  const reasonKey = `today.reason.${today.schedule?.reason ?? ''}`;
  return (
    <Card data-testid="today-card" title={`${t('today.title')} ${today.day}`} style={{ marginTop: 16 }}>
      <Descriptions column={1} size="small" labelStyle={{ width: 96 }}>
        {today.schedule ? (
          <Descriptions.Item label={t('today.sessions')}>
            <Space size={[6, 6]} wrap data-testid="today-sessions">
              <Tag color={today.schedule.workday ? 'green' : 'default'}>
                {today.schedule.workday ? t('today.workday') : t('today.closed')}
                {today.schedule.reason && isMessageKey(reasonKey) ? ` · ${t(reasonKey)}` : ''}
              </Tag>
              {today.schedule.sessions.map((s) => (
                <span key={`${s.label}${s.start}`}>
                  {s.label} {s.start}–{s.end}
                  {s.openToPublic ? '' : `（${t('today.closedToPublic')}）`}
                </span>
              ))}
            </Space>
          </Descriptions.Item>
        ) : null}
        {today.dressCode ? (
          <Descriptions.Item label={t('today.dress')}>
            <div data-testid="today-dress">
              <Tag color="blue">{pickText(today.dressCode.seasonName, lang)}</Tag>
              {today.dressCode.exemptReason ? (
                <Tag color="orange">{t('today.exempt', { reason: today.dressCode.exemptReason })}</Tag>
              ) : null}
              {today.dressCode.badgeRequired ? <Tag>{t('today.badge')}</Tag> : null}
              <Typography.Paragraph style={{ margin: '6px 0 0' }}>{today.dressCode.dress}</Typography.Paragraph>
              {today.dressCode.forbidden ? (
                <Typography.Text type="secondary">{today.dressCode.forbidden}</Typography.Text>
              ) : null}
            </div>
          </Descriptions.Item>
        ) : null}
      </Descriptions>
    </Card>
  );
}
