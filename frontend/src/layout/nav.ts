// The single registry of navigation entries. The menu and the routes are both built from it; one entry per job
// (the terminals' state and their administration are one page, 考勤设备). An entry is shown when the user's
// permissions contain `permission` (none = everyone; `a|b`: any of them). Paths are inside a tenant: /t/{tenant}{path}. Icons are in
// navIcons.ts (the menu's chunk), so the routes table does not pull icons into the login page's JavaScript.
import type { MessageKey } from '../i18n';

export interface NavEntry {
  key: string;
  path: string;
  labelKey: MessageKey;
  permission?: string;
  /** Only for accounts linked to a staff record (clock-in, my attendance): `me.hasStaff`. */
  needsStaff?: boolean;
}

export const NAV = [
  { key: 'home', path: '/', labelKey: 'nav.home' },
  { key: 'tenants', path: '/tenants', labelKey: 'nav.tenants', permission: 'tenant:read' },
  { key: 'org', path: '/org', labelKey: 'nav.org', permission: 'department:read' },
  { key: 'staff', path: '/staff', labelKey: 'nav.staff', permission: 'staff:read' },
  { key: 'users', path: '/users', labelKey: 'nav.users', permission: 'user:read' },
  { key: 'backup', path: '/backup-pairs', labelKey: 'nav.backup', permission: 'staff:read' },
  { key: 'rules', path: '/rules', labelKey: 'nav.rules', permission: 'pack_settings:read' },
  {
    key: 'attendance',
    path: '/attendance',
    labelKey: 'nav.attendance',
    permission: 'attendance:read',
    needsStaff: true,
  },
  {
    key: 'attendanceBoard',
    path: '/attendance-board',
    labelKey: 'nav.attendanceBoard',
    permission: 'attendance:board',
  },
  {
    key: 'attendanceSheet',
    path: '/attendance-sheet',
    labelKey: 'nav.attendanceSheet',
    permission: 'attendance:sheet',
  },
  {
    key: 'attendanceCorrections',
    path: '/attendance-corrections',
    labelKey: 'nav.attendanceCorrections',
    permission: 'attendance_correction:read',
  },
  { key: 'leave', path: '/leave', labelKey: 'nav.leave', permission: 'leave:read' },
  {
    key: 'assessment',
    path: '/assessment',
    labelKey: 'nav.assessment',
    permission: 'assessment:read',
  },
  { key: 'supervision', path: '/supervision', labelKey: 'nav.supervision', permission: 'outing:report' },
  { key: 'redFlag', path: '/red-flag', labelKey: 'nav.redFlag', permission: 'red_flag:read' },
  { key: 'complaints', path: '/complaints', labelKey: 'nav.complaints', permission: 'complaint:read' },
  { key: 'cases', path: '/cases', labelKey: 'nav.cases', permission: 'case:read' },
  { key: 'devices', path: '/devices', labelKey: 'nav.devices', permission: 'device:read' },
  { key: 'audit', path: '/audit', labelKey: 'nav.audit', permission: 'audit:read' },
  // every role has job:read, but only those who may start one of the kinds see the page: the month sheet and its
  // evaluation, the audit export, the assessment month close, the what-if over the centers below, the roster import
  {
    key: 'jobs',
    path: '/jobs',
    labelKey: 'nav.jobs',
    permission: 'attendance:sheet|audit:read|assessment:close|pack_settings:update|staff:write',
  },
] as const satisfies readonly NavEntry[];

export type NavKey = (typeof NAV)[number]['key'];

/** Old paths that live on as a tab of another entry's page (bookmarks keep working). */
export const MOVED: Record<string, string> = { '/terminals': '/devices?tab=status' };

/** The entry whose path is the longest prefix of `pathname` (a path inside the tenant) for the selected item. */
export function activeNavKey(pathname: string): NavKey | undefined {
  let best: (typeof NAV)[number] | undefined;
  for (const entry of NAV) {
    const match =
      entry.path === '/' ? pathname === '/' : pathname === entry.path || pathname.startsWith(entry.path + '/');
    if (match && (!best || entry.path.length > best.path.length)) best = entry;
  }
  return best?.key;
}
