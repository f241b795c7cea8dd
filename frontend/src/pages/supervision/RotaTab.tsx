// 值班安排: the month's rota on a grid. A person per week (000 篇七 八): one row per week, a cell per day, and a
// whole-week picker that fills the week's duty days; windows per month (004/4): one row per duty-window slot.
// The server checks it as a whole (two in one slot, gaps) and saves nothing on a problem.
import { useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { keys } from '../../api/query';
import { Alert, App as AntApp, Button, DatePicker, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n';
import { useApiError } from '../admin/shared';
import { supervisionApi } from './supervisionApi';
import type { Rota } from './supervisionApi';

type Cells = Record<string, string | undefined>; // day -> staff id (staff_weekly) or `slot` -> window id

export default function RotaTab({ tenantId, today, canPlan }: { tenantId: string; today: Dayjs; canPlan: boolean }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const [month, setMonth] = useState<Dayjs>(() => today.startOf('month'));

  const [cells, setCells] = useState<Cells>({});
  const [busy, setBusy] = useState(false);
  const start = month.format('YYYY-MM-DD');
  const end = month.endOf('month').format('YYYY-MM-DD');

  const queryClient = useQueryClient();
  const queryKey = keys.tenant(tenantId, 'supervision', 'rota', start, end);
  const rota: Rota | null = useQuery({
    queryKey,
    queryFn: ({ signal }) => supervisionApi.rota(tenantId, start, end, signal),
  }).data ?? null;
  // the editable cells start from the rota of the month shown (again after each answer for it)
  useEffect(() => {
    if (!rota) return;
    const c: Cells = {};
    for (const e of rota.entries) {
      if (rota.rotaMode === 'staff_weekly') c[e.day] = e.staffId ?? undefined;
      else if (c[`slot${e.slot}`] === undefined) c[`slot${e.slot}`] = e.windowId ?? undefined;
    }
    setCells(c);
  }, [rota]);

  const weeks = useMemo(() => {
    if (!rota) return [];
    const out: { key: string; days: (Rota['days'][number] | null)[] }[] = [];
    for (const d of rota.days) {
      const wd = (dayjs(d.day).day() + 6) % 7;
      if (out.length === 0 || wd === 0) out.push({ key: d.day, days: Array(7).fill(null) });
      out[out.length - 1].days[wd] = d;
    }
    return out;
  }, [rota]);

  if (!rota) return <Table loading />;
  const staffOptions = rota.staff.map((s) => ({ value: s.id, label: s.name }));
  const windowOptions = rota.windows.map((w) => ({ value: w.id, label: w.name }));
  const dutyDays = rota.days.filter((d) => d.dutyDay).map((d) => d.day);

  const save = async () => {
    const entries = rota.rotaMode === 'staff_weekly'
      ? Object.entries(cells).filter(([, v]) => v).map(([day, staffId]) => ({ day, slot: 0, staffId: staffId!, windowId: null }))
      : Array.from({ length: rota.windowsPerMonth }, (_, i) => i + 1).flatMap((slot) =>
          cells[`slot${slot}`] ? dutyDays.map((day) => ({ day, slot, staffId: null, windowId: cells[`slot${slot}`]! })) : []);
    setBusy(true);
    try {
      queryClient.setQueryData(queryKey, await supervisionApi.saveRota(tenantId, { start, end, entries }));
      void message.success(t('sv.rota.saved'));
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  };

  const weekdays = ['一', '二', '三', '四', '五', '六', '日'];
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="rota">
      <Space wrap>
        <Button onClick={() => setMonth(month.subtract(1, 'month'))}>‹</Button>
        <DatePicker picker="month" value={month} allowClear={false} onChange={(v) => v && setMonth(v.startOf('month'))} />
        <Button onClick={() => setMonth(month.add(1, 'month'))}>›</Button>
        <Tag color="blue">{t(`sv.rota.mode.${rota.rotaMode}` as MessageKey, { n: rota.windowsPerMonth })}</Tag>
      </Space>
      {rota.rotaMode === 'staff_weekly' ? (
        <Table rowKey="key" size="small" pagination={false} dataSource={weeks} scroll={{ x: 1100 }}
          onRow={(w) => ({ 'data-testid': `rota-week-${w.key}` } as never)}
          columns={[
            { title: t('sv.week'), key: 'week', width: 190, render: (_, w) => {
              const days = w.days.filter((d): d is NonNullable<typeof d> => d !== null && d.dutyDay);
              const ids = new Set(days.map((d) => cells[d.day]));
              return (
                <Select allowClear disabled={!canPlan || days.length === 0} style={{ width: 170 }} placeholder={t('sv.rota.pick')}
                  data-testid="rota-week-pick" options={staffOptions} showSearch optionFilterProp="label"
                  value={ids.size === 1 ? [...ids][0] : undefined}
                  onChange={(v?: string) => setCells({ ...cells, ...Object.fromEntries(days.map((d) => [d.day, v])) })} />
              );
            } },
            ...weekdays.map((wd, i) => ({
              title: `周${wd}`, key: `d${i}`, render: (_: unknown, w: (typeof weeks)[number]) => {
                const d = w.days[i];
                if (!d) return null;
                return (
                  <Space direction="vertical" size={2}>
                    <Typography.Text type={d.dutyDay ? undefined : 'secondary'}>{d.day.slice(5)}</Typography.Text>
                    {d.dutyDay ? (
                      <Select allowClear size="small" disabled={!canPlan} style={{ width: 110 }} options={staffOptions}
                        data-testid={`rota-day-${d.day}`} value={cells[d.day]}
                        onChange={(v?: string) => setCells({ ...cells, [d.day]: v })} />
                    ) : <Tag>{t('sv.restDay')}</Tag>}
                  </Space>
                );
              },
            })),
          ]} />
      ) : (
        <Table rowKey="slot" size="small" pagination={false}
          dataSource={Array.from({ length: rota.windowsPerMonth }, (_, i) => ({ slot: i + 1 }))}
          columns={[
            { title: '#', dataIndex: 'slot', width: 160, render: (n: number) => t('sv.rota.slot', { n }) },
            { title: t('sv.rota.pickWindow'), key: 'w', render: (_, r) => (
              <Select allowClear disabled={!canPlan} style={{ width: 260 }} options={windowOptions} data-testid={`rota-slot-${r.slot}`}
                value={cells[`slot${r.slot}`]} onChange={(v?: string) => setCells({ ...cells, [`slot${r.slot}`]: v })} />
            ) },
          ]} />
      )}
      <Alert type="info" showIcon message={`${t('sv.rota.days')}: ${dutyDays.length}`} />
      {canPlan && (
        <Button type="primary" loading={busy} onClick={save} data-testid="rota-save">{t('sv.rota.save')}</Button>
      )}
    </Space>
  );
}
