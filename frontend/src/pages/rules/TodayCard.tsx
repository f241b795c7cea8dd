// Today's sessions and dress code of the user's center (work_hours and uniform_seasons packs), on the home page.
import { useEffect, useState } from 'react';
import { Card, Descriptions, Space, Tag, Typography } from 'antd';
import { api, pickText } from '../../api';
import type { LocalizedText } from '../../api';
import { useAuth } from '../../auth';
import { isMessageKey, useI18n } from '../../i18n';

interface Today {
  day: string;
  schedule: {
    workday: boolean;
    reason: string | null;
    sessions: { label: string; start: string; end: string; openToPublic: boolean }[];
  } | null;
  dressCode: {
    seasonName: LocalizedText;
    dress: string;
    badgeRequired: boolean;
    forbidden: string;
    exemptReason: string | null;
  } | null;
  notices: LocalizedText[];
}

export default function TodayCard() {
  const { me, can } = useAuth();
  const { t, lang } = useI18n();
  const [today, setToday] = useState<Today | null>(null);
  useEffect(() => {
    if (!me || !can('self:read')) return;
    api
      .get<Today>(`/api/t/${me.tenant.id}/today`)
      .then(setToday)
      .catch(() => setToday(null));
  }, [me, can]);
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
