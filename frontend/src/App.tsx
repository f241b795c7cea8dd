// Routes. Menu entries and their routes both come from the NAV registry (layout/nav.ts).
import type { ComponentType } from 'react';
import { Route, Routes } from 'react-router-dom';
import AppLayout from './layout/AppLayout';
import { RequireAuth, RequirePermission } from './layout/guards';
import { NAV } from './layout/nav';
import type { NavKey } from './layout/nav';
import ChangePassword from './pages/ChangePassword';
import Forbidden from './pages/Forbidden';
import Home from './pages/Home';
import Login from './pages/Login';
import NotFound from './pages/NotFound';
import RulesPage from './pages/rules/RulesPage';
import AuditPage from './pages/audit/AuditPage';
import BackupPairsPage from './pages/backup/BackupPairsPage';
import DevicesPage from './pages/devices/DevicesPage';
import OrgPage from './pages/org/OrgPage';
import StaffPage from './pages/staff/StaffPage';
import TenantsPage from './pages/tenants/TenantsPage';
import UsersPage from './pages/users/UsersPage';
import BoardPage from './pages/attendance/BoardPage';
import MyAttendancePage from './pages/attendance/MyAttendancePage';
import SheetPage from './pages/attendance/SheetPage';
import TerminalsPage from './pages/attendance/TerminalsPage';
import AssessmentPage from './pages/assessment/AssessmentPage';
import LeavePage from './pages/leave/LeavePage';
import ComplaintsPage from './pages/complaints/ComplaintsPage';
import CasesPage from './pages/cases/CasesPage';

/** The page of each NAV entry: every entry has one (the type refuses a menu entry without a page). */
const PAGES: Record<NavKey, ComponentType> = {
  home: Home,
  rules: RulesPage,
  tenants: TenantsPage,
  org: OrgPage,
  staff: StaffPage,
  users: UsersPage,
  backup: BackupPairsPage,
  devices: DevicesPage,
  audit: AuditPage,
  attendance: MyAttendancePage,
  attendanceBoard: BoardPage,
  attendanceSheet: SheetPage,
  terminals: TerminalsPage,
  assessment: AssessmentPage,
  leave: LeavePage,
  complaints: ComplaintsPage,
  cases: CasesPage,
};

export default function App() {
  return (
    <Routes>
      <Route path="/login" element={<Login />} />
      <Route
        path="/change-password"
        element={
          <RequireAuth allowPasswordChange>
            <ChangePassword />
          </RequireAuth>
        }
      />
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        {NAV.map((entry) => {
          const Page = PAGES[entry.key];
          const permission = 'permission' in entry ? entry.permission : undefined;
          return (
            <Route
              key={entry.key}
              path={entry.path === '/' ? undefined : `${entry.path}/*`}
              index={entry.path === '/' ? true : undefined}
              element={
                <RequirePermission permission={permission}>
                  <Page />
                </RequirePermission>
              }
            />
          );
        })}
        <Route path="/403" element={<Forbidden />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
