// One red-flag round: its steps (待评议 → 已评议 → 已提名 → 已颁发 → 已公布), the council's ratings, the ranking and,
// per unit, every criterion with the records it counted (the drill-down to the evidence).
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, InputNumber, Space, Spin, Steps, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ArrowLeftOutlined, FlagFilled } from '@ant-design/icons';
import { call, client } from '../../api';
import type { Schemas } from '../../api';
import { keys } from '../../api/query';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { useApiError } from '../admin/shared';
import { useTenant } from '../../tenant';
import { STATUS_COLOR, statusKey } from './RedFlagPage';

type Rank = Schemas['RedFlagUnitRank'];
type Line = Schemas['RedFlagLine'];
type Evidence = Schemas['RedFlagEvidence'];
const STEPS = ['draft', 'rated', 'proposed', 'awarded', 'published'];

export default function RedFlagRound({ roundId, onBack }: { roundId: string; onBack: () => void }) {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const tenant = useTenant();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const queryClient = useQueryClient();
  const path = { tenant_id: tenant.id, round_id: roundId };
  const key = keys.tenant(tenant.id, 'redFlag', 'round', roundId);
  const round = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => call(client.GET('/api/t/{tenant_id}/red-flag/rounds/{round_id}', { params: { path }, signal })),
  });
  const [ratings, setRatings] = useState<Record<string, number | null>>({});
  useEffect(() => {
    if (round.data) setRatings(Object.fromEntries(round.data.ranking.map((r) => [r.unitId, r.rating ?? null])));
  }, [round.data]);
  const done = (r: Schemas['RedFlagRound']) => {
    queryClient.setQueryData(key, r);
    void queryClient.invalidateQueries({ queryKey: keys.tenant(tenant.id, 'redFlag') });
    void message.success(t('rf.saved'));
  };
  const saveRatings = useMutation({
    mutationFn: () =>
      call(client.PUT('/api/t/{tenant_id}/red-flag/rounds/{round_id}/ratings', {
        params: { path },
        body: { ratings: Object.entries(ratings).filter(([, v]) => v !== null && v !== undefined).map(([unitId, rating]) => ({ unitId, rating: rating as number })) },
      })),
    onSuccess: done,
    onError: (err) => onError(err),
  });
  const step = useMutation({
    mutationFn: (action: 'propose' | 'award' | 'publish') => {
      if (action === 'propose') return call(client.POST('/api/t/{tenant_id}/red-flag/rounds/{round_id}/propose', { params: { path } }));
      if (action === 'award') return call(client.POST('/api/t/{tenant_id}/red-flag/rounds/{round_id}/award', { params: { path } }));
      return call(client.POST('/api/t/{tenant_id}/red-flag/rounds/{round_id}/publish', { params: { path } }));
    },
    onSuccess: done,
    onError: (err) => onError(err),
  });
  if (round.isLoading || !round.data) return <Spin />;
  const r = round.data;
  const canWrite = can('red_flag:write');
  const canAward = can('red_flag:award');
  const rating = canWrite && ['draft', 'rated', 'proposed'].includes(r.status);
  const name = (x: { nameZh: string; nameEn: string }) => (lang === 'en' ? x.nameEn : x.nameZh);

  const columns: ColumnsType<Rank> = [
    { title: t('rf.col.rank'), dataIndex: 'rank', width: 60 },
    {
      title: t('rf.col.unit'),
      dataIndex: 'name',
      render: (v: string, u) => <span data-testid={`rf-unit-${u.rank}`}>{u.flag && <FlagFilled style={{ color: '#cf1322', marginRight: 6 }} />}{v}</span>,
    },
    { title: t('rf.col.total'), dataIndex: 'total', width: 80, render: (v: number, u) => <b data-testid={`rf-total-${u.rank}`}>{v}</b> },
    ...(r.councilRequired
      ? [{
          title: t('rf.col.rating'),
          key: 'rating',
          width: 120,
          render: (_: unknown, u: Rank) =>
            rating ? (
              <span data-testid={`rf-rating-${u.rank}`}>
                <InputNumber size="small" min={0} max={100} value={ratings[u.unitId] ?? null}
                  onChange={(v) => setRatings((old) => ({ ...old, [u.unitId]: v }))} />
              </span>
            ) : (u.rating ?? '—'),
        }]
      : []),
    {
      title: t('rf.col.result'),
      key: 'result',
      render: (_: unknown, u) => (
        <Space wrap size={4} data-testid={`rf-result-${u.rank}`}>
          {u.flag && <Tag color="red" icon={<FlagFilled />}>{t('rf.flag')}</Tag>}
          {u.eligible ? (!u.flag && <Tag>{t('rf.eligible')}</Tag>) : <Tag color="default">{t('rf.disqualified')}</Tag>}
          {u.disqualified.map((d) => <Tag key={d.key} color="magenta">{name(d)}</Tag>)}
        </Space>
      ),
    },
  ];
  const actions = [
    rating && r.councilRequired && (
      <Button key="ratings" data-testid="rf-save-ratings" loading={saveRatings.isPending} onClick={() => saveRatings.mutate()}>{t('rf.saveRatings')}</Button>
    ),
    canWrite && ['draft', 'rated'].includes(r.status) && (
      <Button key="propose" data-testid="rf-propose" onClick={() => step.mutate('propose')} loading={step.isPending}>{t('rf.propose')}</Button>
    ),
    canAward && ['draft', 'rated', 'proposed'].includes(r.status) && (
      <Button key="award" type="primary" danger data-testid="rf-award" onClick={() => step.mutate('award')} loading={step.isPending}>{t('rf.award')}</Button>
    ),
    canAward && r.status === 'awarded' && (
      <Button key="publish" type="primary" data-testid="rf-publish" onClick={() => step.mutate('publish')} loading={step.isPending}>{t('rf.publish')}</Button>
    ),
  ].filter(Boolean);
  return (
    <div data-testid="rf-round">
      <Space style={{ marginBottom: 12 }} wrap>
        <Button icon={<ArrowLeftOutlined />} onClick={onBack}>{t('rf.back')}</Button>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('rf.round', { label: r.label })}</Typography.Title>
        <Tag color={STATUS_COLOR[r.status]} data-testid="rf-status">{t(statusKey(r.status))}</Tag>
        <span>{t('rf.flagsAwardDay', { flags: r.flags, day: r.awardDay })}</span>
        <Button href={`${tenant.href('/red-flag/screen')}?round=${r.id}`} target="_blank">{t('rf.screen')}</Button>
      </Space>
      <Steps size="small" current={STEPS.indexOf(r.status)} style={{ marginBottom: 16 }}
        items={STEPS.map((s) => ({ title: t(statusKey(s)) }))} />
      {r.councilRequired && r.ratingsMissing > 0 && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('rf.missing', { n: r.ratingsMissing })} data-testid="rf-missing" />
      )}
      <Card size="small" extra={actions.length ? <Space wrap>{actions}</Space> : undefined}>
        <Table
          rowKey="unitId"
          size="small"
          pagination={false}
          columns={columns}
          dataSource={r.ranking}
          data-testid="rf-ranking"
          expandable={{ expandedRowRender: (u) => <UnitLines unit={u} tenantId={tenant.id} />, rowExpandable: () => true }}
        />
      </Card>
    </div>
  );
}

function UnitLines({ unit, tenantId }: { unit: Rank; tenantId: string }) {
  const { t, lang } = useI18n();
  const name = (x: Line) => (lang === 'en' ? x.nameEn : x.nameZh);
  const lines = [...unit.disqualified, ...unit.lines];
  return (
    <Table
      rowKey="key"
      size="small"
      pagination={false}
      dataSource={lines}
      data-testid={`rf-lines-${unit.rank}`}
      expandable={{
        rowExpandable: (l) => (l.evidence ?? []).length > 0,
        expandedRowRender: (l) => <EvidenceTable rows={l.evidence ?? []} tenantId={tenantId} />,
      }}
      columns={[
        { title: t('rf.line.criterion'), key: 'name', render: (_: unknown, l: Line) => <span data-testid={`rf-line-${unit.rank}-${l.key}`}>{name(l)}</span> },
        { title: t('rf.line.max'), dataIndex: 'maxPoints', width: 70, render: (v: number, l: Line) => (l.maxPoints ? v : '') },
        {
          title: t('rf.line.points'),
          dataIndex: 'points',
          width: 80,
          render: (v: number, l: Line) =>
            l.maxPoints ? <span style={{ color: v < l.maxPoints ? '#cf1322' : undefined }}>{v}</span> : <Tag color="magenta">{t('rf.disqualified')}</Tag>,
        },
        { title: t('rf.line.note'), key: 'note', render: (_: unknown, l: Line) => (lang === 'en' ? l.noteEn : l.noteZh) || '' },
        { title: t('rf.line.clause'), dataIndex: 'clause', responsive: ['lg'] },
      ]}
    />
  );
}

function EvidenceTable({ rows, tenantId }: { rows: Evidence[]; tenantId: string }) {
  const { t } = useI18n();
  return (
    <Table
      rowKey="ref"
      size="small"
      pagination={false}
      dataSource={rows}
      locale={{ emptyText: t('rf.ev.none') }}
      columns={[
        { title: t('rf.ev.day'), dataIndex: 'day', width: 110 },
        { title: t('rf.ev.item'), dataIndex: 'name', render: (v: string, e: Evidence) => <span data-testid={`rf-ev-${e.kind}`}>{v}{e.note ? `（${e.note}）` : ''}</span> },
        { title: t('rf.ev.staff'), dataIndex: 'staffName', width: 100 },
        { title: t('rf.ev.points'), dataIndex: 'points', width: 90 },
        { title: t('rf.ev.source'), dataIndex: 'source', width: 90, responsive: ['md'] },
        {
          title: t('rf.ev.photo'),
          dataIndex: 'files',
          render: (files: string[] | undefined) =>
            (files ?? []).map((f) => (
              <a key={f} href={`/api/t/${tenantId}/files/${f}`} target="_blank" rel="noreferrer">
                <img src={`/api/t/${tenantId}/files/${f}/thumbnail`} alt={t('rf.ev.photo')} style={{ height: 36, marginRight: 4 }} />
              </a>
            )),
        },
      ]}
    />
  );
}
