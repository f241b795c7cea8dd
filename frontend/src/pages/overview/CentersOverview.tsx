// 下级中心概况 (home page of provincial and center admins): every center below the own one, read-only — this
// month's attendance totals, leave awaiting closure or unclosed, the latest closed month's score bands,
// holiday-calendar coverage, packs enabled and the province's settings it overrides. A provincial admin (who holds a
// grant in every center below) opens a center's pages in its scope (进入: /t/{center}/attendance-board) or its rules.
import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Input, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useNavigate } from 'react-router-dom';
import { call, client } from '../../api';
import type { Schemas } from '../../api';
import { useAuth } from '../../auth';
import { levelLabel, useI18n } from '../../i18n';
import { keys } from '../../api/query';
import { tenantHref, useTenant } from '../../tenant';

type Center = Schemas['CenterOut'];

const BANDS: [string, string][] = [['90+', '#52c41a'], ['80-89', '#1677ff'], ['60-79', '#faad14'], ['<60', '#ff4d4f']];

export default function CentersOverview() {
  const { can } = useAuth();
  const { t } = useI18n();
  const navigate = useNavigate();
  const tenant = useTenant();
  const [filter, setFilter] = useState('');
  const show = can('pack_settings:read') && !!tenant.level && tenant.level !== 'township';
  // The example of docs/CONVENTIONS.md "Calling the API from the UI": typed by the generated client, keyed by
  // tenant so an answer for the center left behind never lands here; the home page must not break on an error.
  const { data } = useQuery({
    queryKey: keys.tenant(tenant.id, 'overview'),
    queryFn: ({ signal }) =>
      call(client.GET('/api/t/{tenant_id}/overview', { params: { path: { tenant_id: tenant.id } }, signal })),
    enabled: show,
    meta: { silent: true },
  });

  const rows = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return (data?.centers ?? []).filter((c) => !q || c.name.toLowerCase().includes(q) || c.divisionCode.includes(q));
  }, [data, filter]);

  if (!show || !data || data.centers.length === 0) return null;
  const canOpenRules = can('pack_settings:lock'); // provincial admins hold a grant in every center below

  const columns: ColumnsType<Center> = [
    {
      title: t('overview.center'),
      key: 'name',
      fixed: 'left',
      width: 190,
      render: (_: unknown, c) => (
        <span data-testid={`overview-row-${c.divisionCode}`} style={{ paddingLeft: Math.max(0, c.depth - 1) * 12 }}>
          {c.name} <Tag style={{ marginLeft: 4 }}>{levelLabel(t, c.level)}</Tag>
        </span>
      ),
    },
    { title: t('overview.staff'), dataIndex: 'staff', width: 80, sorter: (a, b) => a.staff - b.staff },
    { title: t('overview.late'), dataIndex: 'lateCount', width: 70, sorter: (a, b) => a.lateCount - b.lateCount },
    { title: t('overview.early'), dataIndex: 'earlyCount', width: 70, responsive: ['md'] },
    { title: t('overview.missed'), dataIndex: 'missedPunches', width: 70, responsive: ['md'] },
    { title: t('overview.absence'), dataIndex: 'absenceHalfDays', width: 100, sorter: (a, b) => a.absenceHalfDays - b.absenceHalfDays },
    {
      title: t('overview.leaveAwaiting'),
      dataIndex: 'leaveAwaitingClosure',
      width: 80,
      responsive: ['md'],
      sorter: (a, b) => a.leaveAwaitingClosure - b.leaveAwaitingClosure,
    },
    {
      title: t('overview.leaveUnclosed'),
      key: 'unclosed',
      width: 100,
      sorter: (a, b) => a.leaveUnclosed - b.leaveUnclosed,
      render: (_: unknown, c) => (
        <span data-testid={`overview-unclosed-${c.divisionCode}`}>
          {c.leaveUnclosed ? <Tag color="red">{c.leaveUnclosed}</Tag> : 0}
        </span>
      ),
    },
    {
      title: t('overview.scores'),
      key: 'scores',
      width: 130,
      responsive: ['md'],
      render: (_: unknown, c) => {
        const bands = c.scoreBands;
        if (!bands || !c.scoreMonth) {
          return (
            <Tooltip title={t('overview.scoresNone')}>
              <Typography.Text type="secondary">—</Typography.Text>
            </Tooltip>
          );
        }
        const total = Math.max(1, c.scoreCount ?? 0);
        return (
          <Tooltip
            title={
              <div>
                <div>{t('overview.scoresTip', { month: c.scoreMonth, state: c.scoreState ?? '', count: c.scoreCount ?? 0, avg: c.scoreAverage ?? '', low: c.scoreLowest ?? '' })}</div>
                {BANDS.map(([band]) => (
                  <div key={band}>{band}: {bands[band] ?? 0}</div>
                ))}
              </div>
            }
          >
            <div data-testid={`overview-scores-${c.divisionCode}`} style={{ lineHeight: 1.2 }}>
              <Typography.Text strong>{c.scoreAverage}</Typography.Text>{' '}
              <Typography.Text type="secondary" style={{ fontSize: 11 }}>{c.scoreMonth}</Typography.Text>
              <div style={{ display: 'flex', height: 6, borderRadius: 3, overflow: 'hidden', marginTop: 4, background: '#f0f0f0' }}>
                {BANDS.map(([band, color]) => (
                  <div key={band} style={{ width: `${((bands[band] ?? 0) * 100) / total}%`, background: color }} />
                ))}
              </div>
            </div>
          </Tooltip>
        );
      },
    },
    {
      title: t('overview.calendar'),
      key: 'calendar',
      width: 130,
      filters: [{ text: t('overview.calendarOk'), value: 'ok' }, { text: '⚠', value: 'missing' }],
      onFilter: (v, c) => (v === 'missing') === c.calendarWarning,
      render: (_: unknown, c) =>
        c.calendarWarning ? (
          <Tag color="red" data-testid={`overview-calendar-${c.divisionCode}`}>
            {t('overview.calendarMissing', { date: c.calendarMissingFrom ?? '' })}
          </Tag>
        ) : (
          <Tag color="green">{t('overview.calendarOk')}</Tag>
        ),
    },
    {
      title: t('overview.packs'),
      key: 'packs',
      width: 280,
      responsive: ['lg'],
      render: (_: unknown, c) =>
        c.packs.length ? (
          <Space size={[2, 2]} wrap data-testid={`overview-packs-${c.divisionCode}`}>
            {c.packs.map((p) => (
              <Tag key={p} style={{ fontSize: 11, marginInlineEnd: 0 }}>{p}</Tag>
            ))}
          </Space>
        ) : (
          <Tag color="orange" data-testid={`overview-packs-${c.divisionCode}`}>{t('overview.noPacks')}</Tag>
        ),
    },
    {
      title: t('overview.overrides'),
      key: 'over',
      width: 110,
      responsive: ['md'],
      render: (_: unknown, c) =>
        c.overridesProvince.length ? (
          <Tooltip title={c.overridesProvince.join(', ')}>
            <Tag color="gold">{c.overridesProvince.length}</Tag>
          </Tooltip>
        ) : (
          '—'
        ),
    },
    ...(canOpenRules
      ? [{
          title: '',
          key: 'open',
          width: 120,
          fixed: 'right' as const,
          render: (_: unknown, c: Center) => (
            <Space size={0}>
              <Tooltip title={t('overview.openTip')}>
                <Button size="small" type="link" data-testid={`overview-open-${c.divisionCode}`} onClick={() => navigate(tenantHref(c.id, '/attendance-board'))}>
                  {t('overview.open')}
                </Button>
              </Tooltip>
              <Button size="small" type="link" data-testid={`overview-rules-${c.divisionCode}`} onClick={() => navigate(tenantHref(c.id, '/rules'))}>
                {t('overview.rules')}
              </Button>
            </Space>
          ),
        }]
      : []),
  ];

  return (
    <Card title={t('overview.title')} data-testid="centers-overview" style={{ marginTop: 16 }}
      extra={<Input.Search allowClear size="small" placeholder={t('overview.filter')} style={{ width: 200 }} onChange={(e) => setFilter(e.target.value)} />}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('overview.intro', { month: data.month })}</Typography.Text>
        {data.missingCalendar > 0 ? <Alert type="error" showIcon message={t('overview.warnCalendar', { n: data.missingCalendar })} /> : null}
        {data.withoutPacks > 0 ? <Alert type="warning" showIcon message={t('overview.warnPacks', { n: data.withoutPacks })} /> : null}
        <Table<Center>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={rows}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 1300 }}
          data-testid="overview-table"
        />
      </Space>
    </Card>
  );
}
