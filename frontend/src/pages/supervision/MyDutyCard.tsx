// The home page's duty card: the caller's duty days of the coming weeks with the time to be on post (8:20 / 2:20
// for the duty officer, 000 篇七 八.4①), and who is on duty today.
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/query';
import { Card, List, Typography } from 'antd';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { supervisionApi } from './supervisionApi';
import type { MyDuty } from './supervisionApi';

export default function MyDutyCard() {
  const { me, can } = useAuth();
  const { t } = useI18n();
  const home = String(me?.tenant.id ?? '');
  // the card stays away when the duty cannot be read (no staff record, the pack off)
  const duty: MyDuty | null = useQuery({
    queryKey: keys.tenant(home, 'supervision', 'my-duty'),
    queryFn: ({ signal }) => supervisionApi.myDuty(home, signal),
    enabled: !!me && can('self:read'),
    meta: { silent: true },
  }).data ?? null;
  if (!duty || !duty.enabled) return null;
  return (
    <Card data-testid="my-duty" title={t('sv.myDuty')} style={{ marginTop: 16 }}>
      {duty.officerToday && (
        <Typography.Paragraph data-testid="my-duty-officer">{t('sv.myDuty.officer', { name: duty.officerToday })}</Typography.Paragraph>
      )}
      {duty.days.length === 0 ? <Typography.Text type="secondary">{t('sv.myDuty.none')}</Typography.Text> : (
        <List size="small" dataSource={duty.days.slice(0, 7)} renderItem={(d) => (
          <List.Item data-testid={`my-duty-${d.day}`}>
            {t('sv.myDuty.day', { day: d.day, times: d.arriveBy.join('、') })}{d.windowName ? ` · ${d.windowName}` : ''}
          </List.Item>
        )} />
      )}
    </Card>
  );
}
