// The pack API (platform/govhall/packs/controllers.py) through the generated client; the types are the server's
// (frontend/src/api/schema.d.ts), named here for the rules pages.
import { call, client } from '../../api';
import type { Schemas } from '../../api';

export type FieldState = 'inherited' | 'overridden' | 'locked';
export type JsonValue = unknown;
export type Values = Record<string, JsonValue>;

export type Source = Schemas['SourceOut'];
export type FieldInfo = Schemas['FieldOut'];
export type PackSummary = Schemas['PackSummary'];
export type TenantPack = Schemas['TenantPack'];
export type PackSettings = Schemas['PackSettingsOut'];
export type Change = Schemas['ChangeOut'];
export type ValueChange = Schemas['ValueChangeOut'];
export type Version = Schemas['VersionOut'];
export type SaveBody = Schemas['SaveIn'];
export type TenantOption = Schemas['TenantNode'];

const pp = (tenantId: string, pack: string) => ({ tenant_id: tenantId, pack });
type Sig = AbortSignal | undefined;

export const rulesApi = {
  tenants: (signal?: Sig) => call(client.GET('/api/tenants', { signal })),
  packs: (tenantId: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/packs', { params: { path: { tenant_id: tenantId } }, signal })),
  settings: (tenantId: string, pack: string, lang: string, on?: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/packs/{pack}', { params: { path: pp(tenantId, pack), query: { lang, on } }, signal })),
  versions: (tenantId: string, pack: string, signal?: Sig) =>
    call(client.GET('/api/t/{tenant_id}/packs/{pack}/versions', { params: { path: pp(tenantId, pack) }, signal })),
  preview: (tenantId: string, pack: string, body: SaveBody, signal?: Sig) =>
    call(client.POST('/api/t/{tenant_id}/packs/{pack}/preview', { params: { path: pp(tenantId, pack) }, body, signal })),
  save: (tenantId: string, pack: string, body: SaveBody) =>
    call(client.POST('/api/t/{tenant_id}/packs/{pack}/versions', { params: { path: pp(tenantId, pack) }, body })),
};

/** JSON with sorted keys: equal values compare equal whatever the key order. */
export function stable(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

export function sameValue(a: unknown, b: unknown): boolean {
  return stable(a) === stable(b);
}
