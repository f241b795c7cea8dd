// 考勤设备: one menu entry for one job — the terminals' state (last contact, backlog) and their administration
// (register, allowed addresses, revoke) as two tabs of one page (?tab=status|manage).
import { Tabs } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import TerminalsPage from '../attendance/TerminalsPage';
import DevicesPage from './DevicesPage';

export default function DevicesHub() {
  const { t } = useI18n();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const status = { key: 'status', label: t('devices.tab.status'), children: <TerminalsPage /> };
  // who may register and revoke terminals comes here for that first; everyone else sees their state
  const items = can('device:write')
    ? [{ key: 'manage', label: t('devices.tab.manage'), children: <DevicesPage /> }, status]
    : [status];
  const active = items.some((i) => i.key === params.get('tab')) ? params.get('tab')! : items[0].key;
  return (
    <Tabs
      data-testid="devices-tabs"
      activeKey={active}
      destroyInactiveTabPane
      onChange={(tab) => setParams({ tab }, { replace: true })}
      items={items}
    />
  );
}
