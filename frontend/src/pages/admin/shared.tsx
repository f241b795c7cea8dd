// Shared pieces of the administration pages: the banner of a center managed from above, paged lists, API error display,
// and the "shown once" secret box (one-time passwords, device tokens).
import { useCallback, useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Alert, App as AntApp, Button, Input, Popconfirm, Space, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { CopyOutlined } from '@ant-design/icons';
import { ApiError, call, client } from '../../api';
import type { Schemas } from '../../api';
import type { paths } from '../../api/schema';
import { keys } from '../../api/query';
import { useAuth } from '../../auth';
import { useTenant } from '../../tenant';
import { useI18n } from '../../i18n';

/** The tenant lists that page on the server (Advanced Alchemy's currentPage/pageSize/searchString). */
export type PagedPath =
  | '/api/t/{tenant_id}/staff'
  | '/api/t/{tenant_id}/departments'
  | '/api/t/{tenant_id}/windows'
  | '/api/t/{tenant_id}/users'
  | '/api/t/{tenant_id}/devices'
  | '/api/t/{tenant_id}/audit'
  | '/api/t/{tenant_id}/backup-pairs';

/** One page of a list endpoint, as the server's schema types it. */
export type PageOf<P extends PagedPath> = paths[P]['get']['responses'][200]['content']['application/json'];
/** An item of a list endpoint. */
export type ItemOf<P extends PagedPath> = PageOf<P>['items'][number];

function getPage<P extends PagedPath>(path: P, tenantId: string, query: Record<string, unknown>, signal: AbortSignal) {
  // one call for the seven list paths: the path is checked against PagedPath, the answer typed by it
  const pending = client.GET(path as '/api/t/{tenant_id}/staff', {
    params: { path: { tenant_id: tenantId }, query: query as Record<string, never> },
    signal,
  });
  return call(pending) as unknown as Promise<PageOf<P>>;
}

export { useTenant } from '../../tenant';

/** Shown above a page when a provincial admin works in a center that is not their own. */
export function ScopeBanner() {
  const tenant = useTenant();
  const { me } = useAuth();
  const { t } = useI18n();
  if (tenant.isOwn) return null;
  return (
    <Alert
      data-testid="scope-banner"
      type="info"
      showIcon
      style={{ marginBottom: 12 }}
      message={t('scope.managing', { name: tenant.name })}
      action={
        <Button size="small" data-testid="scope-back" onClick={() => tenant.switchTo(String(me?.tenant.id ?? ''))}>
          {t('scope.backToOwn')}
        </Button>
      }
    />
  );
}

export function useApiError() {
  const { lang } = useI18n();
  const { message } = AntApp.useApp();
  return useCallback(
    (err: unknown, form?: FormInstance) => {
      const apiErr = err instanceof ApiError ? err : new ApiError(0, null);
      if (form && apiErr.fields.length) {
        const names = new Set(Object.keys(form.getFieldsValue(true) ?? {}));
        const mine = apiErr.fields.filter((f) => names.has(f.field));
        if (mine.length) {
          form.setFields(mine.map((f) => ({ name: f.field, errors: [apiErr.fieldMessage(f.field, lang) ?? ''] })));
        }
      }
      void message.error(apiErr.message(lang));
    },
    [lang, message],
  );
}

/** A table row's delete action: confirm, call ``remove`` (a DELETE of the generated client), say so, then
 * ``onDone`` (reload); errors as a message. */
export function DeleteAction({ remove, onDone, label, testId }: {
  remove: () => Promise<Schemas['RevokeUnconfirmed'] | null | undefined | void>;
  onDone: () => void;
  label?: ReactNode;
  testId?: string;
}) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  return (
    <Popconfirm
      title={t('common.confirmDelete')}
      onConfirm={async () => {
        try {
          const answer = await remove();
          if (answer && answer.confirmed === false) {
            // saved, but not every server process confirmed it (issue 8 item 3): say so, do not hide it
            message.warning(t('roles.revokeUnconfirmed', { n: answer.unconfirmedWorkers ?? '?' }), 8);
          } else {
            message.success(t('common.deleted'));
          }
          onDone();
        } catch (err) {
          onError(err);
        }
      }}
    >
      <Button type="link" size="small" danger data-testid={testId}>
        {label ?? t('common.delete')}
      </Button>
    </Popconfirm>
  );
}

/** A paged, searchable list from a tenant endpoint (Advanced Alchemy's currentPage/pageSize/searchString), through
 * TanStack Query: the answer shown is always the one for the current page and search (an answer for an older
 * search cannot overwrite a newer one), the previous page stays visible while the next loads. */
export function usePaged<P extends PagedPath>(
  path: P,
  tenantId: string | null | undefined,
  pageSize = 20,
  extra: Record<string, string | undefined> = {},
) {
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState('');
  const queryClient = useQueryClient();
  const query = { currentPage: page, pageSize, searchString: search || undefined, ...extra };
  const answer = useQuery({
    queryKey: keys.tenant(tenantId ?? '', 'list', path, query),
    queryFn: ({ signal }) => getPage(path, tenantId!, query, signal),
    enabled: !!tenantId,
    placeholderData: keepPreviousData,
  });
  const data: PageOf<P> = answer.data ?? ({ items: [], total: 0, limit: pageSize, offset: 0 } as PageOf<P>);
  return {
    ...data,
    items: data.items as ItemOf<P>[],
    loading: answer.isFetching,
    page,
    pageSize,
    setPage,
    search,
    setSearch: (s: string) => {
      setPage(1);
      setSearch(s);
    },
    reload: () => void queryClient.invalidateQueries({ queryKey: keys.tenant(tenantId ?? '', 'list', path) }),
  };
}

/** Every item of a small list (departments, windows, staff for pickers): pages of 100 until done. */
export function useAll<P extends PagedPath>(path: P, tenantId: string | null | undefined) {
  const queryClient = useQueryClient();
  const answer = useQuery({
    queryKey: keys.tenant(tenantId ?? '', 'list', path, 'all'),
    queryFn: async ({ signal }) => {
      const out: ItemOf<P>[] = [];
      for (let page = 1; page < 100; page++) {
        const res = await getPage(path, tenantId!, { currentPage: page, pageSize: 100 }, signal);
        out.push(...(res.items as ItemOf<P>[]));
        if (out.length >= res.total || res.items.length === 0) break;
      }
      return out;
    },
    enabled: !!tenantId,
  });
  return {
    items: (answer.data ?? EMPTY) as ItemOf<P>[],
    reload: () => void queryClient.invalidateQueries({ queryKey: keys.tenant(tenantId ?? '', 'list', path) }),
  };
}

const EMPTY: never[] = [];

/** A secret shown exactly once (one-time password, device token), with a copy button. */
export function OneTimeSecret({ value, testId, title, hint }: { value: string; testId: string; title: ReactNode; hint: ReactNode }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text strong>{title}</Typography.Text>
      <Space.Compact style={{ width: '100%' }}>
        <Input
          readOnly
          value={value}
          data-testid={testId}
          style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 16 }}
        />
        <Button
          icon={<CopyOutlined />}
          onClick={() => {
            void navigator.clipboard?.writeText(value).then(() => message.success(t('common.copied')));
          }}
        >
          {t('common.copy')}
        </Button>
      </Space.Compact>
      <Alert type="warning" showIcon message={hint} />
    </Space>
  );
}

export function tenantPath(tenantId: string, rest: string): string {
  return `/api/t/${tenantId}/${rest}`;
}
