// 巡查达标: per day of a week, patrols done vs required per half day, the fixed checks and the closing check.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/query';
import { Button, DatePicker, Space, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useI18n } from '../../i18n';
import { supervisionApi } from './supervisionApi';
import type { ComplianceDay } from './supervisionApi';

function frac(done: number, required: number) {
  return <Tag color={done >= required ? 'green' : 'red'}>{done}/{required}</Tag>;
}

export default function ComplianceTab({ tenantId, today }: { tenantId: string; today: Dayjs }) {
  const { t } = useI18n();
  const [monday, setMonday] = useState<Dayjs>(() => today.subtract((today.day() + 6) % 7, 'day'));
  const start = monday.format('YYYY-MM-DD');
  const end = monday.add(6, 'day').format('YYYY-MM-DD');
  const days: ComplianceDay[] | null = useQuery({
    queryKey: keys.tenant(tenantId, 'supervision', 'compliance', start, end),
    queryFn: ({ signal }) => supervisionApi.compliance(tenantId, start, end, signal),
  }).data?.days ?? null;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="compliance">
      <Space>
        <Button onClick={() => setMonday(monday.subtract(7, 'day'))}>‹</Button>
        <DatePicker picker="week" value={monday} allowClear={false}
          onChange={(v) => v && setMonday(v.subtract((v.day() + 6) % 7, 'day'))} />
        <Button onClick={() => setMonday(monday.add(7, 'day'))}>›</Button>
      </Space>
      <Table<ComplianceDay> rowKey="day" size="small" pagination={false} loading={days === null} dataSource={days ?? []}
        scroll={{ x: 720 }} onRow={(r) => ({ 'data-testid': `compliance-${r.day}` } as never)}
        columns={[
          { title: t('sv.col.day'), dataIndex: 'day', render: (d: string, r) => <>{d}{!r.dutyDay && <Tag style={{ marginLeft: 6 }}>{t('sv.restDay')}</Tag>}</> },
          { title: t('sv.col.officer'), dataIndex: 'officer', render: (v: string | null) => v ?? '—' },
          { title: t('sv.col.am'), key: 'am', render: (_, r) => (r.requiredAm ? frac(r.doneAm, r.requiredAm) : r.doneAm) },
          { title: t('sv.col.pm'), key: 'pm', render: (_, r) => (r.requiredPm ? frac(r.donePm, r.requiredPm) : r.donePm) },
          { title: t('sv.col.total'), key: 'total', render: (_, r) => <span data-testid="compliance-total">{frac(r.doneTotal, r.requiredTotal)}</span> },
          { title: t('sv.col.fixed'), key: 'fixed', render: (_, r) => r.fixedRequired.map((k) => (
            <Tag key={k} color={r.fixedDone.includes(k) ? 'green' : 'red'}>{r.fixedDone.includes(k) ? t('sv.done') : t('sv.missing')}</Tag>)) },
          { title: t('sv.col.closing'), key: 'closing', render: (_, r) => (r.closingRequired
            ? <Tag color={r.closingDone ? 'green' : 'red'}>{r.closingDone ? t('sv.done') : t('sv.missing')}</Tag> : '—') },
          { title: t('sv.col.findings'), dataIndex: 'findings' },
          { title: t('sv.col.result'), key: 'ok', render: (_, r) => (r.future ? '—' :
            <Tag data-testid="compliance-result" color={r.compliant ? 'green' : 'red'}>{r.compliant ? t('sv.compliant') : t('sv.notCompliant')}</Tag>) },
        ]} />
    </Space>
  );
}
