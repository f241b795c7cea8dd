// /assessment (考核): tabs by permission — my scorecard, recording on a phone, records (violations and bonuses,
// voids and corrections), month close and reports, the year sheet, appeals, return-to-unit cases.
import { Tabs } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { ScopeBanner, useTenant } from '../admin/shared';
import AnnualTab from './AnnualTab';
import AppealsTab from './AppealsTab';
import CasesTab from './CasesTab';
import MonthTab from './MonthTab';
import MyCard from './MyCard';
import RecordForm from './RecordForm';
import RecordsTab from './RecordsTab';
import './assessment.css';

export default function AssessmentPage() {
  const { me, can } = useAuth();
  const { t } = useI18n();
  const tenant = useTenant();
  const [params, setParams] = useSearchParams();
  if (!me) return null;
  const tenantId = tenant.id;
  const tabs = [
    ...(tenant.isOwn ? [{ key: 'my', label: t('as.tab.my'), children: <MyCard tenantId={tenantId} /> }] : []),
    ...(can('assessment:record') ? [{ key: 'record', label: t('as.tab.record'), children: <RecordForm tenantId={tenantId} /> }] : []),
    ...(can('assessment:record')
      ? [{ key: 'records', label: t('as.tab.records'), children: <RecordsTab tenantId={tenantId} canVoid={can('assessment:record')} /> }]
      : []),
    ...(can('assessment:close') ? [{ key: 'month', label: t('as.tab.month'), children: <MonthTab tenantId={tenantId} /> }] : []),
    ...(can('assessment:close') ? [{ key: 'year', label: t('as.tab.year'), children: <AnnualTab tenantId={tenantId} /> }] : []),
    ...(can('assessment:decide') ? [{ key: 'appeals', label: t('as.tab.appeals'), children: <AppealsTab tenantId={tenantId} /> }] : []),
    ...(can('assessment:decide') ? [{ key: 'cases', label: t('as.tab.cases'), children: <CasesTab tenantId={tenantId} /> }] : []),
  ];
  const preferred = can('assessment:close') ? 'month' : can('assessment:record') ? 'record' : 'my';
  const fallback = tabs.some((x) => x.key === preferred) ? preferred : tabs[0]?.key;
  const active = tabs.some((x) => x.key === params.get('tab')) ? params.get('tab')! : fallback;
  return (
    <div data-testid="page-assessment">
      <ScopeBanner />
      <Tabs
        activeKey={active}
        onChange={(key) => setParams({ tab: key }, { replace: true })}
        items={tabs.map((x) => ({ ...x, label: <span data-testid={`as-tab-${x.key}`}>{x.label}</span> }))}
        destroyInactiveTabPane
      />
    </div>
  );
}
