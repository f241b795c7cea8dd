// 请假台账: every request of the center (or the unclosed ones, or the substitutes on file), filtered and paged, with
// the Excel export and "apply due outcomes now".
import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { keys } from '../../api/query';
import { App as AntApp, Button, DatePicker, Drawer, Segmented, Select, Space, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n';
import { useApiError } from '../admin/shared';
import LeaveCard, { STATUS_COLOR, StatusSelect, useLabels } from './LeaveCard';
import { leaveApi } from './leaveApi';
import type { LeaveMeta, LeavePage, LeaveView } from './leaveApi';

export default function Ledger({ tenantId, meta }: { tenantId: string; meta: LeaveMeta }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const { typeName, period } = useLabels(meta);
  const [ledger, setLedger] = useState<string>('all');
  const [status, setStatus] = useState<string>();
  const [leaveType, setLeaveType] = useState<string>();
  const [month, setMonth] = useState<Dayjs | null>(null);
  const [page, setPage] = useState(1);

  const [open, setOpen] = useState<LeaveView | null>(null);
  const query = { scope: 'all', status, leaveType, month: month?.format('YYYY-MM'), ledger: ledger === 'all' ? undefined : ledger, page, pageSize: 20 };
  const list = useQuery({
    queryKey: keys.tenant(tenantId, 'leave', 'requests', query),
    queryFn: ({ signal }) => leaveApi.list(tenantId, query, signal),
    placeholderData: keepPreviousData,
  });
  const data: LeavePage | null = list.data ?? null;
  const load = () => void list.refetch();
  const runOutcomes = async () => {
    try {
      const r = await leaveApi.outcomes(tenantId);
      message.success(t('leave.outcomesDone', r));
      load();
    } catch (err) {
      onError(err);
    }
  };
  const href = leaveApi.ledgerUrl(tenantId, { month: month?.format('YYYY-MM'), status, ledger: ledger === 'all' ? undefined : ledger, lang: lang === 'en' ? 'en' : 'zh' });
  return (
    <div data-testid="leave-ledger">
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented value={ledger} onChange={(v) => { setPage(1); setLedger(String(v)); }} data-testid="ledger-kind"
          options={[{ value: 'all', label: t('leave.ledger.all') }, { value: 'unclosed', label: t('leave.ledger.unclosed') }, { value: 'substitutes', label: t('leave.ledger.substitutes') }]} />
        <StatusSelect value={status} onChange={(v) => { setPage(1); setStatus(v); }} />
        <Select allowClear placeholder={t('leave.filter.type')} style={{ minWidth: 120 }} value={leaveType} onChange={(v) => { setPage(1); setLeaveType(v); }}
          options={meta.leaveTypes.map((x) => ({ value: x.key, label: lang === 'en' ? x.nameEn : x.nameZh }))} />
        <DatePicker picker="month" value={month} onChange={(v) => { setPage(1); setMonth(v); }} placeholder={t('leave.filter.month')} />
        <Button href={href} data-testid="ledger-export">{t('leave.export')}</Button>
        <Button onClick={runOutcomes} data-testid="run-outcomes">{t('leave.runOutcomes')}</Button>
      </Space>
      <Table<LeaveView>
        rowKey="id"
        size="small"
        loading={data === null}
        dataSource={data?.items ?? []}
        scroll={{ x: 800 }}
        onRow={(r) => ({ onClick: () => setOpen(r), style: { cursor: 'pointer' } })}
        pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('leave.col.name'), dataIndex: 'staffName' },
          { title: t('leave.col.dept'), dataIndex: 'departmentName' },
          { title: t('leave.type'), render: (_, r) => typeName(r.leaveType) },
          { title: t('leave.col.period'), render: (_, r) => period(r) },
          { title: t('leave.col.days'), dataIndex: 'days', width: 70 },
          { title: t('leave.col.substitute'), render: (_, r) => r.substituteName ?? r.externalSubstitute?.name ?? '—' },
          { title: t('leave.col.status'), render: (_, r) => (
            <Space size={2} wrap>
              <Tag color={STATUS_COLOR[r.status]}>{t(`leave.status.${r.status}` as MessageKey)}</Tag>
              {r.phase === 'overdue' || r.phase === 'closure_due' ? <Tag color={r.phase === 'overdue' ? 'red' : 'orange'}>{t(`leave.phase.${r.phase}` as MessageKey)}</Tag> : null}
            </Space>
          ) },
        ]}
      />
      <Drawer open={open !== null} onClose={() => setOpen(null)} width={Math.min(560, window.innerWidth)} title={open?.staffName}>
        {open && <LeaveCard tenantId={tenantId} v={open} meta={meta} onChange={(v) => { setOpen(v); load(); }} />}
      </Drawer>
    </div>
  );
}
