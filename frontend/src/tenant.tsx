// The center a page works in comes from its URL: /t/{tenant}/staff. A link or a bookmark names the center; the
// managed-center switch of the tenants page, the rules page's picker and the overview's links all just navigate.
// `useTenant()` is the one way a page learns its tenant.
import { useQuery } from '@tanstack/react-query';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { call, client } from './api';
import { useAuth } from './auth';

/** The UI path of `path` (a NAV path such as '/staff', or '/') in tenant `tenantId`. */
export function tenantHref(tenantId: string, path = '/'): string {
  const rest = path === '/' || path === '' ? '' : path.startsWith('/') ? path : `/${path}`;
  return `/t/${tenantId}${rest}`;
}

/** The part of a UI pathname after /t/{tenant} ('/staff', or '/' for the home page). */
export function pathInTenant(pathname: string): string {
  const m = /^\/t\/[^/]+(\/.*)?$/.exec(pathname);
  return m ? m[1] || '/' : pathname;
}

export interface TenantInfo {
  id: string;
  name: string;
  level: string;
}

/** One level of the tenant tree the user may see: the top (`parent` null) or the children of `parent`, each node
 * with its counts (`childCount`, `descendantCount`). Every tenant query's key starts with 'tenants', so onboarding
 * refreshes them all. */
export function useTenantLevel(parent: string | null, enabled = true) {
  const { can } = useAuth();
  return useQuery({
    queryKey: ['tenants', 'level', parent],
    queryFn: ({ signal }) =>
      call(client.GET('/api/tenants', { params: { query: parent ? { parent, limit: 500 } : { limit: 500 } }, signal })),
    enabled: enabled && can('tenant:read'),
    staleTime: 60_000,
  });
}

/** Tenants whose name contains / division code starts with `text` (server-side, one page). */
export function useTenantSearch(text: string, enabled = true) {
  const { can } = useAuth();
  const q = text.trim();
  return useQuery({
    queryKey: ['tenants', 'search', q],
    queryFn: ({ signal }) => call(client.GET('/api/tenants', { params: { query: { searchString: q, limit: 50 } }, signal })),
    enabled: enabled && !!q && can('tenant:read'),
    staleTime: 30_000,
  });
}

/** One tenant the user may see (its name and level for the page header), or nothing. */
export function useTenantInfo(id: string, enabled = true) {
  const { can } = useAuth();
  return useQuery({
    queryKey: ['tenants', 'one', id],
    queryFn: ({ signal }) => call(client.GET('/api/tenants', { params: { query: { id } }, signal })),
    enabled: enabled && !!id && can('tenant:read'),
    staleTime: 60_000,
  });
}

export interface CurrentTenant extends TenantInfo {
  /** The user's home tenant (me.tenant). */
  isOwn: boolean;
  /** UI path of `path` in this tenant. */
  href: (path?: string) => string;
  /** Go to the same page in another tenant (keeps the page, drops the query). */
  switchTo: (tenantId: string) => void;
}

export function useTenant(): CurrentTenant {
  const { me } = useAuth();
  const params = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const ownId = String(me?.tenant.id ?? '');
  const id = params.tenant || ownId;
  const isOwn = id === ownId;
  const info = useTenantInfo(id, !isOwn);
  const known = isOwn ? undefined : info.data?.tenants.find((t) => t.id === id);
  const name = isOwn ? me?.tenant.name ?? '' : known?.name ?? '';
  const level = isOwn ? me?.tenant.level ?? '' : known?.level ?? '';
  return {
    id,
    name,
    level,
    isOwn,
    href: (path = '/') => tenantHref(id, path),
    switchTo: (tenantId: string) => navigate(tenantHref(tenantId, pathInTenant(location.pathname))),
  };
}
