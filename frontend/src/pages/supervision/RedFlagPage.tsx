// /red-flag (流动红旗): the center's rounds of a year, a new round, the year's tally; ?round={id} opens a round
// (ranking, ratings, propose, award, publish, drill-down); /red-flag/screen is the hall screen (big, read-only).
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Col, DatePicker, Row, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { FlagFilled } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useLocation, useSearchParams } from 'react-router-dom';
import { call, client } from '../../api';
import type { Schemas } from '../../api';
import { keys } from '../../api/query';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n';
import { ScopeBanner, useApiError } from '../admin/shared';
import { useTenant } from '../../tenant';
import RedFlagRound from './RedFlagRound';
import RedFlagScreen from './RedFlagScreen';

type Summary = Schemas['RedFlagRoundSummary'];

export const STATUS_COLOR: Record<string, string> = {
  draft: 'default',
  rated: 'blue',
  proposed: 'orange',
  awarded: 'red',
  published: 'green',
};

export function statusKey(status: string): MessageKey {
  return `rf.status.${status}` as MessageKey;
}

export default function RedFlagPage() {
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const roundId = params.get('round');
  if (location.pathname.endsWith('/red-flag/screen')) return <RedFlagScreen roundId={roundId} />;
  if (roundId) return <RedFlagRound roundId={roundId} onBack={() => setParams({})} />;
  return <RoundList onOpen={(id) => setParams({ round: id })} />;
}

function RoundList({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useI18n();
  const tenant = useTenant();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const queryClient = useQueryClient();
  const [year, setYear] = useState(dayjs().year());
  const [period, setPeriod] = useState<'month' | 'quarter'>('month');
  const [label, setLabel] = useState<Dayjs | null>(dayjs().subtract(1, 'month'));
  const path = { tenant_id: tenant.id };
  const overview = useQuery({
    queryKey: keys.tenant(tenant.id, 'redFlag', 'overview', year),
    queryFn: ({ signal }) => call(client.GET('/api/t/{tenant_id}/red-flag', { params: { path, query: { year } }, signal })),
  });
  const tally = useQuery({
    queryKey: keys.tenant(tenant.id, 'redFlag', 'tally', year),
    queryFn: ({ signal }) => call(client.GET('/api/t/{tenant_id}/red-flag/tally', { params: { path, query: { year } }, signal })),
  });
  const create = useMutation({
    mutationFn: (body: Schemas['RedFlagRoundIn']) =>
      call(client.POST('/api/t/{tenant_id}/red-flag/rounds', { params: { path }, body })),
    onSuccess: (r) => {
      void message.success(t('rf.saved'));
      void queryClient.invalidateQueries({ queryKey: keys.tenant(tenant.id, 'redFlag') });
      onOpen(r.id);
    },
    onError: (err) => onError(err),
  });
  const data = overview.data;
  const labelOf = (d: Dayjs) => (period === 'quarter' ? `${d.year()}-Q${Math.floor(d.month() / 3) + 1}` : d.format('YYYY-MM'));
  const columns: ColumnsType<Summary> = [
    { title: t('rf.col.label'), dataIndex: 'label', render: (v: string, r) => <span data-testid={`rf-round-${v}`}>{v} · {t(`rf.period.${r.period}` as MessageKey)}</span> },
    { title: t('rf.col.status'), dataIndex: 'status', render: (v: string) => <Tag color={STATUS_COLOR[v]}>{t(statusKey(v))}</Tag> },
    { title: t('rf.col.awardDay'), dataIndex: 'awardDay', responsive: ['sm'] },
    {
      title: t('rf.col.awarded'),
      dataIndex: 'awarded',
      render: (v: string[]) => v.map((n) => <Tag key={n} color="red" icon={<FlagFilled />}>{n}</Tag>),
    },
    { title: '', key: 'open', render: (_: unknown, r) => <Button size="small" data-testid={`rf-open-${r.label}`} onClick={() => onOpen(r.id)}>{t('rf.open')}</Button> },
  ];
  return (
    <div data-testid="page-red-flag">
      <ScopeBanner />
      <Space style={{ marginBottom: 12 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('rf.title')}</Typography.Title>
        <Select
          data-testid="rf-year"
          value={year}
          onChange={setYear}
          options={[0, 1, 2].map((i) => ({ value: dayjs().year() - i, label: `${dayjs().year() - i}` }))}
        />
        {data?.enabled && <Tag>{t(`rf.unit.${data.unit}` as MessageKey)}</Tag>}
        {data?.kinds.map((k) => (
          <Tag key={k.period} color="volcano">
            {t('rf.kind', { period: t(`rf.period.${k.period}` as MessageKey), flags: k.flags, day: k.awardDay })}
          </Tag>
        ))}
        {data?.enabled && (
          <Button href={tenant.href('/red-flag/screen')} target="_blank" data-testid="rf-screen-link">{t('rf.screen')}</Button>
        )}
      </Space>
      {data && !data.enabled && <Alert type="info" showIcon message={t('rf.disabled')} />}
      {data?.enabled && (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={15}>
            <Card size="small" title={t('rf.rounds')}
              extra={data.canWrite && (
                <Space wrap data-testid="rf-new">
                  <Select
                    size="small"
                    value={period}
                    onChange={setPeriod}
                    data-testid="rf-new-period"
                    options={data.kinds.map((k) => ({ value: k.period as 'month' | 'quarter', label: t(`rf.period.${k.period}` as MessageKey) }))}
                  />
                  <span data-testid="rf-new-label">
                    <DatePicker size="small" picker={period === 'quarter' ? 'quarter' : 'month'} value={label} onChange={setLabel} allowClear={false} />
                  </span>
                  <Button size="small" type="primary" loading={create.isPending} data-testid="rf-create"
                    onClick={() => label && create.mutate({ period, label: labelOf(label) })}>
                    {t('rf.new.create')}
                  </Button>
                </Space>
              )}>
              <Table rowKey="id" size="small" columns={columns} dataSource={data.rounds} pagination={false} data-testid="rf-rounds" />
            </Card>
          </Col>
          <Col xs={24} lg={9}>
            <Card size="small" title={t('rf.tally', { year })} data-testid="rf-tally">
              <Table
                rowKey="unitId"
                size="small"
                pagination={false}
                locale={{ emptyText: t('rf.tally.none') }}
                dataSource={tally.data?.rows ?? []}
                columns={[
                  { title: t('rf.col.unit'), dataIndex: 'name' },
                  { title: t('rf.tally.flags'), dataIndex: 'flags', render: (n: number) => (
                      <span style={{ color: '#cf1322', fontWeight: 600 }} data-testid="rf-tally-flags">
                        {Array.from({ length: Math.min(n, 12) }, (_, i) => <FlagFilled key={i} style={{ marginRight: 2 }} />)} {n}
                      </span>
                    ) },
                  { title: t('rf.tally.months'), dataIndex: 'months', render: (m: string[]) => m.join('、'), responsive: ['md'] },
                ]}
              />
            </Card>
          </Col>
        </Row>
      )}
    </div>
  );
}
