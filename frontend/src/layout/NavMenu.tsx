import { Menu } from 'antd';
import { createElement } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { pathInTenant, useTenant } from '../tenant';
import { NAV, activeNavKey } from './nav';
import { NAV_ICONS } from './navIcons';

/** The role-aware menu built from the NAV registry (used in the Sider and in the phone Drawer). */
export default function NavMenu({ onNavigate, dark = false }: { onNavigate?: () => void; dark?: boolean }) {
  const { can, me } = useAuth();
  const { t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const tenant = useTenant();
  const selected = activeNavKey(pathInTenant(location.pathname));

  const items = NAV.filter(
    (entry) => can('permission' in entry ? entry.permission : undefined) && (!('needsStaff' in entry) || !!me?.hasStaff),
  ).map((entry) => ({
    key: entry.key,
    icon: createElement(NAV_ICONS[entry.key]),
    label: <span data-testid={`nav-${entry.key}`}>{t(entry.labelKey)}</span>,
    onClick: () => {
      navigate(tenant.href(entry.path));
      onNavigate?.();
    },
  }));

  return <Menu
      mode="inline"
      theme={dark ? 'dark' : 'light'} selectedKeys={selected ? [selected] : []} items={items} style={{ borderInlineEnd: 0 }} />;
}
