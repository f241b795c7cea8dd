// /supervision (巡查与值班): tabs by permission — the patrol on a phone, compliance per day, the patrol history
// with photos, the duty rota.
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Spin, Tabs } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { call, client } from '../../api';
import { keys } from '../../api/query';
import { useSearchParams } from 'react-router-dom';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { ScopeBanner, useTenant } from '../admin/shared';
import ComplianceTab from './ComplianceTab';
import DutyLogTab from './DutyLogTab';
import HistoryTab from './HistoryTab';
import MeetingTab from './MeetingTab';
import OutingsTab from './OutingsTab';
import PatrolTab from './PatrolTab';
import RotaTab from './RotaTab';

export default function SupervisionPage() {
  const { me, can } = useAuth();
  const { t } = useI18n();
  const tenant = useTenant();
  const [params, setParams] = useSearchParams();
  // the center's today by the server's clock (the browser's may differ); the browser's when it cannot be read
  const todayQuery = useQuery({
    queryKey: keys.tenant(tenant.id, 'today'),
    queryFn: ({ signal }) =>
      call(client.GET('/api/t/{tenant_id}/today', { params: { path: { tenant_id: tenant.id } }, signal })),
    meta: { silent: true },
  });
  const day = todayQuery.data?.day;
  const failed = todayQuery.isError;
  const today: Dayjs | null = useMemo(() => (day ? dayjs(day) : failed ? dayjs() : null), [day, failed]);
  if (!me) return null;
  if (!today) return <Spin />;
  const tenantId = tenant.id;
  const tabs = [
    ...(can('patrol:record') && tenant.isOwn ? [{ key: 'patrol', label: t('sv.tab.patrol'), children: <PatrolTab tenantId={tenantId} /> }] : []),
    ...(can('outing:report') && tenant.isOwn ? [{ key: 'outings', label: t('sv.tab.outings'), children: <OutingsTab tenantId={tenantId} /> }] : []),
    ...(can('outing:report') && tenant.isOwn ? [{ key: 'meeting', label: t('sv.tab.meeting'), children: <MeetingTab tenantId={tenantId} today={today} /> }] : []),
    ...(can('patrol:read') ? [{ key: 'compliance', label: t('sv.tab.compliance'), children: <ComplianceTab tenantId={tenantId} today={today} /> }] : []),
    ...(can('patrol:read') ? [{ key: 'log', label: t('sv.tab.log'), children: <DutyLogTab tenantId={tenantId} today={today} /> }] : []),
    ...(can('patrol:read') ? [{ key: 'history', label: t('sv.tab.history'), children: <HistoryTab tenantId={tenantId} today={today} /> }] : []),
    ...(can('duty_rota:read')
      ? [{ key: 'rota', label: t('sv.tab.rota'), children: <RotaTab tenantId={tenantId} today={today} canPlan={can('duty_rota:plan')} /> }]
      : []),
  ];
  const fallback = tabs[0]?.key;
  const active = tabs.some((x) => x.key === params.get('tab')) ? params.get('tab')! : fallback;
  return (
    <div data-testid="page-supervision">
      <ScopeBanner />
      <Tabs activeKey={active} onChange={(k) => setParams({ tab: k })} items={tabs} destroyInactiveTabPane />
    </div>
  );
}
