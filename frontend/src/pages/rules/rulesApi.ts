// The pack API (platform/govhall/packs/controllers.py) as typed calls.
import { api } from '../../api';
import type { LocalizedText } from '../../api';

export type FieldState = 'inherited' | 'overridden' | 'locked';
export type JsonValue = unknown;
export type Values = Record<string, JsonValue>;

export interface Source {
  kind: 'default' | 'tenant';
  tenantId: string | null;
  tenantName: string | null;
  level: string | null;
}

export interface FieldInfo {
  name: string;
  title: LocalizedText;
  state: FieldState;
  source: Source;
  lockedBy: Source | null;
  lockedHere: boolean;
  ignoredOverride: boolean;
}

export interface PackSummary {
  name: string;
  version: string;
  title: LocalizedText;
  description: LocalizedText;
  hooks: string[];
}

export interface TenantPack {
  name: string;
  version: string;
  title: LocalizedText;
  description: LocalizedText;
  enabled: boolean;
  settingsVersion: number | null;
  effectiveFrom: string | null;
  overridden: number;
  locked: number;
}

export interface PackSettings {
  pack: PackSummary;
  tenant: { id: string; name: string; level: string };
  on: string;
  today: string;
  enabled: boolean;
  jsonSchema: Record<string, unknown>;
  uiSchema: Record<string, unknown>;
  values: Values;
  inherited: Values;
  overrides: Values;
  locks: string[];
  fields: FieldInfo[];
  settingsVersion: number | null;
  effectiveFrom: string | null;
  canUpdate: boolean;
  canLock: boolean;
}

export interface Change {
  field: string;
  title: LocalizedText;
  before: JsonValue;
  after: JsonValue;
}

export interface ValueChange extends Change {
  beforeInherited: boolean;
  afterInherited: boolean;
}

export interface Version {
  version: number;
  effectiveFrom: string;
  enabled: boolean;
  overrides: Values;
  locks: string[];
  note: string | null;
  changedBy: string | null;
  changedAt: string | null;
  changes: Change[];
  status: 'in_force' | 'scheduled' | 'past';
  /** The pack release that saved it (null: before releases were recorded). */
  packVersion: string | null;
  schemaVersion: number;
}

export interface SaveBody {
  effectiveFrom: string;
  enabled: boolean;
  overrides: Values;
  locks: string[];
  note?: string;
}

export interface TenantOption {
  id: string;
  name: string;
  level: string;
  depth: number;
  parentId: string | null;
}

const base = (tenantId: string) => `/api/t/${tenantId}/packs`;

export const rulesApi = {
  packs: (tenantId: string) => api.get<TenantPack[]>(base(tenantId)),
  settings: (tenantId: string, pack: string, lang: string, on?: string) =>
    api.get<PackSettings>(`${base(tenantId)}/${pack}`, { query: { lang, on } }),
  versions: (tenantId: string, pack: string) => api.get<Version[]>(`${base(tenantId)}/${pack}/versions`),
  preview: (tenantId: string, pack: string, body: SaveBody) =>
    api.post<{ effectiveFrom: string; changes: Change[]; values: ValueChange[] }>(`${base(tenantId)}/${pack}/preview`, body),
  save: (tenantId: string, pack: string, body: SaveBody) =>
    api.post<Version>(`${base(tenantId)}/${pack}/versions`, body),
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
