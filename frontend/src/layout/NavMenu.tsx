import { Menu } from 'antd';
import { createElement } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { NAV, activeNavKey } from './nav';

/** The role-aware menu built from the NAV registry (used in the Sider and in the phone Drawer). */
export default function NavMenu({ onNavigate, dark = false }: { onNavigate?: () => void; dark?: boolean }) {
  const { can } = useAuth();
  const { t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const selected = activeNavKey(location.pathname);

  const items = NAV.filter((entry) => can('permission' in entry ? entry.permission : undefined)).map((entry) => ({
    key: entry.key,
    icon: createElement(entry.icon),
    label: <span data-testid={`nav-${entry.key}`}>{t(entry.labelKey)}</span>,
    onClick: () => {
      navigate(entry.path);
      onNavigate?.();
    },
  }));

  return <Menu
      mode="inline"
      theme={dark ? 'dark' : 'light'} selectedKeys={selected ? [selected] : []} items={items} style={{ borderInlineEnd: 0 }} />;
}
