// The single registry of navigation entries. The menu and the routes are both built from it;
// an entry is shown when the user's permissions contain `permission` (none = everyone).
import type { ComponentType } from 'react';
import {
  ApartmentOutlined,
  AuditOutlined,
  BankOutlined,
  CalendarOutlined,
  ClockCircleOutlined,
  CommentOutlined,
  FieldTimeOutlined,
  CloudSyncOutlined,
  DashboardOutlined,
  FileProtectOutlined,
  HomeOutlined,
  ScanOutlined,
  SettingOutlined,
  SwapOutlined,
  TableOutlined,
  TeamOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import type { MessageKey } from '../i18n';

export interface NavEntry {
  key: string;
  path: string;
  labelKey: MessageKey;
  icon: ComponentType;
  permission?: string;
}

export const NAV = [
  { key: 'home', path: '/', labelKey: 'nav.home', icon: HomeOutlined },
  { key: 'tenants', path: '/tenants', labelKey: 'nav.tenants', icon: BankOutlined, permission: 'tenant:read' },
  { key: 'org', path: '/org', labelKey: 'nav.org', icon: ApartmentOutlined, permission: 'department:read' },
  { key: 'staff', path: '/staff', labelKey: 'nav.staff', icon: TeamOutlined, permission: 'staff:read' },
  { key: 'users', path: '/users', labelKey: 'nav.users', icon: UserSwitchOutlined, permission: 'user:read' },
  { key: 'backup', path: '/backup-pairs', labelKey: 'nav.backup', icon: SwapOutlined, permission: 'staff:read' },
  { key: 'rules', path: '/rules', labelKey: 'nav.rules', icon: SettingOutlined, permission: 'pack_settings:read' },
  {
    key: 'attendance',
    path: '/attendance',
    labelKey: 'nav.attendance',
    icon: ClockCircleOutlined,
    permission: 'attendance:read',
  },
  {
    key: 'attendanceBoard',
    path: '/attendance-board',
    labelKey: 'nav.attendanceBoard',
    icon: DashboardOutlined,
    permission: 'attendance:board',
  },
  {
    key: 'attendanceSheet',
    path: '/attendance-sheet',
    labelKey: 'nav.attendanceSheet',
    icon: TableOutlined,
    permission: 'attendance:sheet',
  },
  { key: 'terminals', path: '/terminals', labelKey: 'nav.terminals', icon: CloudSyncOutlined, permission: 'device:read' },
  { key: 'leave', path: '/leave', labelKey: 'nav.leave', icon: CalendarOutlined, permission: 'leave:read' },
  {
    key: 'assessment',
    path: '/assessment',
    labelKey: 'nav.assessment',
    icon: AuditOutlined,
    permission: 'assessment:read',
  },
  {
    key: 'complaints',
    path: '/complaints',
    labelKey: 'nav.complaints',
    icon: CommentOutlined,
    permission: 'complaint:read',
  },
  { key: 'cases', path: '/cases', labelKey: 'nav.cases', icon: FieldTimeOutlined, permission: 'case:read' },
  { key: 'devices', path: '/devices', labelKey: 'nav.devices', icon: ScanOutlined, permission: 'device:read' },
  { key: 'audit', path: '/audit', labelKey: 'nav.audit', icon: FileProtectOutlined, permission: 'audit:read' },
] as const satisfies readonly NavEntry[];

export type NavKey = (typeof NAV)[number]['key'];

/** The entry whose path is the longest prefix of `pathname` (for the selected menu item). */
export function activeNavKey(pathname: string): NavKey | undefined {
  let best: (typeof NAV)[number] | undefined;
  for (const entry of NAV) {
    const match =
      entry.path === '/' ? pathname === '/' : pathname === entry.path || pathname.startsWith(entry.path + '/');
    if (match && (!best || entry.path.length > best.path.length)) best = entry;
  }
  return best?.key;
}
