import { Card, Descriptions, Space, Tag, Typography } from 'antd';
import { useAuth } from '../auth';
import { levelLabel, roleLabel, useI18n } from '../i18n';
import CalendarCoverageBanner from './rules/CalendarCoverageBanner';
import TodayCard from './rules/TodayCard';
import CentersOverview from './overview/CentersOverview';
import MyDutyCard from './supervision/MyDutyCard';

export default function Home() {
  const { me } = useAuth();
  const { t } = useI18n();
  if (!me) return null;
  return (
    <>
    <CalendarCoverageBanner />
    <Card data-testid="home-welcome">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('home.welcome', { name: me.displayName })}
      </Typography.Title>
      <Descriptions column={1} size="small" labelStyle={{ width: 96 }}>
        <Descriptions.Item label={t('home.tenant')}>
          <span data-testid="home-tenant">{me.tenant.name}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('home.level')}>{levelLabel(t, me.tenant.level)}</Descriptions.Item>
        <Descriptions.Item label={t('home.username')}>{me.username}</Descriptions.Item>
        <Descriptions.Item label={t('home.roles')}>
          <Space size={[4, 4]} wrap data-testid="home-roles">
            {me.roles.map((role) => (
              <Tag key={role} color="blue">
                {roleLabel(t, role)}
              </Tag>
            ))}
          </Space>
        </Descriptions.Item>
      </Descriptions>
    </Card>
    <TodayCard />
    <MyDutyCard />
    <CentersOverview />
    </>
  );
}
