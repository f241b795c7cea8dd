// The menu icon of each NAV entry (the type refuses an entry without one). Kept apart from nav.ts: only the menu
// (in the lazily loaded layout) needs icons, not the routes table of the login page's first download.
import type { ComponentType } from 'react';
import {
  HourglassOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BankOutlined,
  CalendarOutlined,
  ClockCircleOutlined,
  CommentOutlined,
  DashboardOutlined,
  EditOutlined,
  EyeOutlined,
  FieldTimeOutlined,
  FileProtectOutlined,
  FlagOutlined,
  HomeOutlined,
  ScanOutlined,
  SettingOutlined,
  SwapOutlined,
  TableOutlined,
  TeamOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import type { NavKey } from './nav';

export const NAV_ICONS: Record<NavKey, ComponentType> = {
  home: HomeOutlined,
  tenants: BankOutlined,
  org: ApartmentOutlined,
  staff: TeamOutlined,
  users: UserSwitchOutlined,
  backup: SwapOutlined,
  rules: SettingOutlined,
  attendance: ClockCircleOutlined,
  attendanceBoard: DashboardOutlined,
  attendanceSheet: TableOutlined,
  attendanceCorrections: EditOutlined,
  leave: CalendarOutlined,
  assessment: AuditOutlined,
  supervision: EyeOutlined,
  redFlag: FlagOutlined,
  complaints: CommentOutlined,
  cases: FieldTimeOutlined,
  devices: ScanOutlined,
  audit: FileProtectOutlined,
  jobs: HourglassOutlined,
};
