// A filtered, paged list of leave requests as cards: my requests, the approvals inbox (phone-first), the chief's
// department.
import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { keys } from '../../api/query';
import { Card, DatePicker, Empty, Pagination, Select, Space, Spin } from 'antd';
import type { Dayjs } from 'dayjs';
import { useI18n } from '../../i18n';
import LeaveCard, { StatusSelect } from './LeaveCard';
import { leaveApi } from './leaveApi';
import type { LeaveMeta, LeavePage, ListQuery } from './leaveApi';

export default function RequestList({ tenantId, meta, scope, reloadKey, onCount }: {
  tenantId: string;
  meta: LeaveMeta;
  scope: ListQuery['scope'];
  reloadKey?: number;
  onCount?: (n: number) => void;
}) {
  const { t, lang } = useI18n();
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState<string>();
  const [leaveType, setLeaveType] = useState<string>();
  const [month, setMonth] = useState<Dayjs | null>(null);
  const queryClient = useQueryClient();
  const query = { scope, status, leaveType, month: month ? month.format('YYYY-MM') : undefined, page, pageSize: 10 };
  const list = useQuery({
    queryKey: keys.tenant(tenantId, 'leave', 'requests', query),
    queryFn: ({ signal }) => leaveApi.list(tenantId, query, signal),
    placeholderData: keepPreviousData,
  });
  const data: LeavePage | null = list.data ?? null;
  const total = list.data?.total;
  useEffect(() => {
    if (total !== undefined) onCount?.(total);
  }, [total, onCount]);
  const load = () => void queryClient.invalidateQueries({ queryKey: keys.tenant(tenantId, 'leave', 'requests') });
  // the page asks for a reload (a request was submitted) by bumping reloadKey
  useEffect(() => {
    if (reloadKey) void queryClient.invalidateQueries({ queryKey: keys.tenant(tenantId, 'leave', 'requests') });
  }, [reloadKey, tenantId, queryClient]);
  return (
    <div data-testid={`leave-list-${scope}`}>
      {scope !== 'inbox' && (
        <Space wrap style={{ marginBottom: 12 }}>
          <StatusSelect value={status} onChange={(v) => { setPage(1); setStatus(v); }} />
          <Select allowClear placeholder={t('leave.filter.type')} style={{ minWidth: 120 }} value={leaveType}
            onChange={(v) => { setPage(1); setLeaveType(v); }}
            options={meta.leaveTypes.map((x) => ({ value: x.key, label: lang === 'en' ? x.nameEn : x.nameZh }))} />
          <DatePicker picker="month" placeholder={t('leave.filter.month')} value={month} onChange={(v) => { setPage(1); setMonth(v); }} />
        </Space>
      )}
      {data === null ? (
        <Spin />
      ) : data.items.length === 0 ? (
        <Card size="small"><Empty description={scope === 'inbox' ? t('leave.inbox.empty') : t('leave.empty')} /></Card>
      ) : (
        <>
          {data.items.map((v) => (
            <LeaveCard key={v.id} tenantId={tenantId} v={v} meta={meta} onChange={() => load()} />
          ))}
          <Pagination size="small" current={page} pageSize={10} total={data.total} onChange={setPage} hideOnSinglePage />
        </>
      )}
    </div>
  );
}
