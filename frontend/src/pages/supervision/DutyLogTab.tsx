// 值班日志: the day's (or week's) timeline read from the records — arrival, outings, leave sign-offs, checks,
// off post — plus what the duty officer notes (opening, public requests, incidents, handover). Printable.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { keys } from '../../api/query';
import { Button, Card, DatePicker, Empty, Input, Segmented, Select, Space, Timeline, Typography } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import type { Schemas } from '../../api';
import { useApiError } from '../admin/shared';
import { dutyLogApi } from './supervisionApi';
import type { DutyLog } from './supervisionApi';
import './supervision.css';

const COLORS: Record<string, string> = {
  arrival: 'green', opening: 'green', outing: 'blue', outing_return: 'blue', leave_signoff: 'purple',
  patrol: 'gray', fixed_check: 'gray', closing_check: 'gray', off_post: 'red', incident: 'red',
  public_request: 'orange', handover: 'green', note: 'gray',
};
const KINDS = ['opening', 'public_request', 'incident', 'handover', 'note'] as const;

export default function DutyLogTab({ tenantId, today }: { tenantId: string; today: Dayjs }) {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const onError = useApiError();
  const [span, setSpan] = useState<'day' | 'week'>('day');
  const [day, setDay] = useState<Dayjs>(() => today);

  const [kind, setKind] = useState<Schemas['DutyLogIn']['kind']>('public_request');
  const [text, setText] = useState('');
  const start = span === 'day' ? day : day.subtract((day.day() + 6) % 7, 'day');
  const end = span === 'day' ? day : start.add(6, 'day');
  const queryClient = useQueryClient();
  const from = start.format('YYYY-MM-DD');
  const to = end.format('YYYY-MM-DD');
  const log: DutyLog | null = useQuery({
    queryKey: keys.tenant(tenantId, 'supervision', 'duty-log', from, to),
    queryFn: ({ signal }) => dutyLogApi.read(tenantId, from, to, signal),
  }).data ?? null;
  const load = () => void queryClient.invalidateQueries({ queryKey: keys.tenant(tenantId, 'supervision', 'duty-log') });
  const hhmm = (iso: string) => new Date(iso).toLocaleTimeString(lang === 'en' ? 'en-GB' : 'zh-CN', { hour: '2-digit', minute: '2-digit' });
  const write = () => {
    if (!text.trim()) return;
    dutyLogApi.write(tenantId, { kind, text }).then(() => { setText(''); load(); }).catch(onError);
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="duty-log">
      <Space wrap className="no-print">
        <Segmented value={span} onChange={(v) => setSpan(v as 'day' | 'week')}
          options={[{ value: 'day', label: t('sv.log.day') }, { value: 'week', label: t('sv.week') }]} />
        <DatePicker value={day} allowClear={false} onChange={(v) => v && setDay(v)} picker={span === 'week' ? 'week' : 'date'} />
        <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="duty-log-print">{t('sv.log.print')}</Button>
      </Space>
      {can('patrol:record') && span === 'day' && day.isSame(today, 'day') && (
        <Card size="small" className="no-print">
          <Space.Compact style={{ width: '100%' }}>
            <Select value={kind} onChange={setKind} style={{ width: 130 }}
              options={KINDS.map((k) => ({ value: k, label: t(`sv.log.kind.${k}`) }))} />
            <Input value={text} onChange={(e) => setText(e.target.value)} maxLength={1000} onPressEnter={write}
              placeholder={t('sv.log.placeholder')} data-testid="duty-log-text" />
            <Button type="primary" onClick={write} data-testid="duty-log-add">{t('sv.log.add')}</Button>
          </Space.Compact>
        </Card>
      )}
      {log && (
        <div className="duty-log-print">
          <Typography.Title level={4} style={{ textAlign: 'center' }}>{log.center} {t('sv.log.title')}</Typography.Title>
          {log.days.map((d) => (
            <Card key={d.day} size="small" style={{ marginBottom: 12 }} data-testid={`duty-log-${d.day}`}
              title={`${d.day} ${dayjs(d.day).format('ddd')}`} extra={d.officer ? t('sv.myDuty.officer', { name: d.officer }) : null}>
              {d.events.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sv.log.empty')} /> : (
                <Timeline items={d.events.map((e) => ({
                  color: COLORS[e.kind] ?? 'gray',
                  children: <span><strong>{hhmm(e.at)}</strong> {e.who ? `${e.who} · ` : ''}{e.text}</span>,
                }))} />
              )}
            </Card>
          ))}
        </div>
      )}
    </Space>
  );
}
