// Routes. Menu entries and their routes both come from the NAV registry (layout/nav.ts). Every page lives inside
// a tenant, /t/{tenant}/..., so a link names its center (tenant.tsx); a path without one (an old bookmark, '/')
// goes to the same page in the user's home tenant. Pages load lazily: the login page downloads only what it shows.
import { Suspense, lazy } from 'react';
import type { ComponentType, LazyExoticComponent } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { useAuth } from './auth';
import { FullPageSpin, PageSpin, RequireAuth, RequirePermission } from './layout/guards';
import { MOVED, NAV } from './layout/nav';
import type { NavKey } from './layout/nav';
import Login from './pages/Login';
import { loadAppLayout, loadHome } from './preload';
import { tenantHref } from './tenant';

const AppLayout = lazy(loadAppLayout);
const ChangePassword = lazy(() => import('./pages/ChangePassword'));
const Forbidden = lazy(() => import('./pages/Forbidden'));
const NotFound = lazy(() => import('./pages/NotFound'));

/** The page of each NAV entry: every entry has one (the type refuses a menu entry without a page). */
const PAGES: Record<NavKey, LazyExoticComponent<ComponentType>> = {
  home: lazy(loadHome),
  rules: lazy(() => import('./pages/rules/RulesPage')),
  tenants: lazy(() => import('./pages/tenants/TenantsPage')),
  org: lazy(() => import('./pages/org/OrgPage')),
  staff: lazy(() => import('./pages/staff/StaffPage')),
  users: lazy(() => import('./pages/users/UsersPage')),
  backup: lazy(() => import('./pages/backup/BackupPairsPage')),
  devices: lazy(() => import('./pages/devices/DevicesHub')),
  audit: lazy(() => import('./pages/audit/AuditPage')),
  jobs: lazy(() => import('./pages/jobs/JobsPage')),
  attendance: lazy(() => import('./pages/attendance/MyAttendancePage')),
  attendanceBoard: lazy(() => import('./pages/attendance/BoardPage')),
  attendanceSheet: lazy(() => import('./pages/attendance/SheetPage')),
  attendanceCorrections: lazy(() => import('./pages/attendance/CorrectionsPage')),
  assessment: lazy(() => import('./pages/assessment/AssessmentPage')),
  leave: lazy(() => import('./pages/leave/LeavePage')),
  supervision: lazy(() => import('./pages/supervision/SupervisionPage')),
  redFlag: lazy(() => import('./pages/supervision/RedFlagPage')),
  complaints: lazy(() => import('./pages/complaints/ComplaintsPage')),
  cases: lazy(() => import('./pages/cases/CasesPage')),
};

/** An old path (/staff, /rules?tenant=X, /terminals, /) → the same page inside a tenant. */
function ToTenant() {
  const { me } = useAuth();
  const location = useLocation();
  const params = new URLSearchParams(location.search);
  const tenant = params.get('tenant') || String(me?.tenant.id ?? '');
  params.delete('tenant');
  const moved = MOVED[location.pathname];
  let target = tenantHref(tenant, moved ? moved.split('?')[0] : location.pathname);
  if (moved?.includes('?')) new URLSearchParams(moved.split('?')[1]).forEach((v, k) => params.set(k, v));
  const qs = params.toString();
  if (qs) target += `?${qs}`;
  return <Navigate to={target + location.hash} replace />;
}

export default function App() {
  return (
    <Suspense fallback={<FullPageSpin />}>
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
          path="/t/:tenant"
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
                path={entry.path === '/' ? undefined : `${entry.path.slice(1)}/*`}
                index={entry.path === '/' ? true : undefined}
                element={
                  <RequirePermission permission={permission}>
                    <Suspense fallback={<PageSpin />}>
                      <Page />
                    </Suspense>
                  </RequirePermission>
                }
              />
            );
          })}
          {Object.keys(MOVED).map((old) => (
            <Route key={old} path={`${old.slice(1)}/*`} element={<Moved from={old} />} />
          ))}
          <Route path="403" element={<Forbidden />} />
          <Route path="*" element={<NotFound />} />
        </Route>
        <Route path="/403" element={<Forbidden />} />
        <Route
          path="*"
          element={
            <RequireAuth>
              <ToTenant />
            </RequireAuth>
          }
        />
      </Routes>
    </Suspense>
  );
}

/** /t/{tenant}/terminals → /t/{tenant}/devices?tab=status */
function Moved({ from }: { from: string }) {
  const location = useLocation();
  const base = location.pathname.slice(0, location.pathname.indexOf(from));
  return <Navigate to={base + MOVED[from]} replace />;
}
