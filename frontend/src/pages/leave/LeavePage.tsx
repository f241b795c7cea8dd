// /leave (请销假): ask for leave, my requests (timeline, 销假, withdraw/cancel), the approvals inbox, the chief's
// department, the center's ledger and approver directory — tabs by what the person may do.
import { useCallback, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/query';
import { Alert, Badge, Spin, Tabs } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import Approvers from './Approvers';
import Ledger from './Ledger';
import NewRequest from './NewRequest';
import RequestList from './RequestList';
import { leaveApi } from './leaveApi';
import type { LeaveMeta } from './leaveApi';

export default function LeavePage() {
  const { me, can } = useAuth();
  const { t, lang } = useI18n();
  const [params, setParams] = useSearchParams();

  const [tick, setTick] = useState(0);
  const [inboxCount, setInboxCount] = useState(0);
  const tenantId = me ? String(me.tenant.id) : '';
  const metaQuery = useQuery({
    queryKey: keys.tenant(tenantId, 'leave', 'meta'),
    queryFn: ({ signal }) => leaveApi.meta(tenantId, signal),
    enabled: !!tenantId,
    meta: { silent: true }, // the page says why itself
  });
  const meta: LeaveMeta | null = metaQuery.data ?? null;
  const problem: string | null = metaQuery.error ? metaQuery.error.message(lang) : null;
  const onCount = useCallback((n: number) => setInboxCount(n), []);
  if (problem) return <Alert type="warning" showIcon message={problem} data-testid="leave-problem" />;
  if (!meta) return <Spin />;
  const mayAsk = can('leave:request') && (meta.myStaffId !== null || meta.canManage);
  const tabs = [
    ...(mayAsk ? [{ key: 'new', label: t('leave.tab.new'), children: (
      <NewRequest tenantId={tenantId} meta={meta} onSubmitted={() => { setTick((n) => n + 1); setParams({ tab: 'mine' }, { replace: true }); }} />
    ) }] : []),
    ...(meta.myStaffId ? [{ key: 'mine', label: t('leave.tab.mine'), children: <RequestList tenantId={tenantId} meta={meta} scope="mine" reloadKey={tick} /> }] : []),
    ...(meta.canApprove || meta.coverToAnswer > 0 ? [{ key: 'inbox', label: <Badge count={inboxCount} size="small" offset={[8, -2]}>{t('leave.tab.inbox')}</Badge>,
      children: <RequestList tenantId={tenantId} meta={meta} scope="inbox" reloadKey={tick} onCount={onCount} /> }] : []),
    ...(meta.isChief ? [{ key: 'department', label: t('leave.tab.department'), children: <RequestList tenantId={tenantId} meta={meta} scope="department" /> }] : []),
    ...(meta.canManage ? [
      { key: 'ledger', label: t('leave.tab.ledger'), children: <Ledger tenantId={tenantId} meta={meta} /> },
      { key: 'approvers', label: t('leave.tab.approvers'), children: <Approvers tenantId={tenantId} /> },
    ] : []),
  ];
  if (!tabs.length) return <Alert type="info" showIcon message={t('leave.empty')} />;
  const fallback = (meta.canApprove && !meta.myStaffId) || meta.coverToAnswer > 0 ? 'inbox' : tabs[0].key;
  const active = tabs.some((x) => x.key === params.get('tab')) ? params.get('tab')! : fallback;
  return (
    <div data-testid="page-leave">
      <Tabs activeKey={active} onChange={(key) => setParams({ tab: key }, { replace: true })} items={tabs} destroyInactiveTabPane />
    </div>
  );
}
