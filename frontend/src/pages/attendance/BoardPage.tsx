// /attendance-board: today's board (duty officer: the center; chief representative: their department) —
// who is in, late, on leave, not yet punched — refreshing itself; works on a phone. Missed-punch approvals below.
import { useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Badge, Button, Card, Drawer, Empty, Grid, Input, List, Popconfirm, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ReloadOutlined } from '@ant-design/icons';
import { ApiError } from '../../api';
import { keys } from '../../api/query';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import type { I18n } from '../../i18n';
import { ScopeBanner, useApiError, useTenant } from '../admin/shared';
import MyMonth from './MyMonth';
import { attendanceApi } from './attendanceApi';
import type { Board, BoardRow, BoardState, MissedPunch } from './attendanceApi';
import CalendarMissing, { missingCalendarYear } from './CalendarMissing';
import { CorrectionBadge, LEAVE_NAME, STATE_COLOR, SessionLine, reasonLabel, stateLabel } from './labels';
import './attendance.css';

const REFRESH_MS = 30_000;
const PAGE_SIZE = 50;
const BADGE_COLOR: Record<BoardState, string> = {
  late: '#faad14',
  not_punched: '#fa541c',
  absent: '#f5222d',
  on_leave: '#1677ff',
  in: '#52c41a',
  left: '#8c8c8c',
  upcoming: '#bfbfbf',
  rest: '#bfbfbf',
};
const ORDER: BoardState[] = ['late', 'not_punched', 'absent', 'on_leave', 'in', 'left', 'upcoming', 'rest'];

function Approvals({ tenantId, onDecided }: { tenantId: string; onDecided: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const pendingKey = keys.tenant(tenantId, 'attendance', 'missed-punches', 'pending');
  const items = useQuery({
    queryKey: pendingKey,
    queryFn: ({ signal }) => attendanceApi.missedPunches(tenantId, 'pending', signal),
  }).data;
  const decision = useMutation({
    mutationFn: ({ r, approve }: { r: MissedPunch; approve: boolean }) => attendanceApi.decide(tenantId, r.id, approve, note),
    onSuccess: () => {
      message.success(t('att.board.decided'));
      setNote('');
      onDecided();
    },
    onError: (err) => onError(err),
    onSettled: () => queryClient.invalidateQueries({ queryKey: pendingKey }),
  });
  const decide = (r: MissedPunch, approve: boolean) => decision.mutateAsync({ r, approve }).catch(() => undefined);
  return (
    <Card size="small" title={t('att.board.approvals')} style={{ marginTop: 16 }} data-testid="approvals" loading={items === undefined}>
      {items && items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('att.board.noApprovals')} />
      ) : (
        <List
          dataSource={items ?? []}
          renderItem={(r) => (
            <List.Item
              data-testid={`approval-${r.id}`}
              actions={[
                <Popconfirm
                  key="ok"
                  title={t('att.board.approve')}
                  description={<Input placeholder={t('att.board.note')} value={note} onChange={(e) => setNote(e.target.value)} />}
                  okButtonProps={{ 'data-testid': 'approve-confirm' } as Record<string, string>}
                  onConfirm={() => decide(r, true)}
                >
                  <Button type="primary" size="small" data-testid="approve">
                    {t('att.board.approve')}
                  </Button>
                </Popconfirm>,
                <Popconfirm
                  key="no"
                  title={t('att.board.reject')}
                  okButtonProps={{ 'data-testid': 'reject-confirm' } as Record<string, string>}
                  onConfirm={() => decide(r, false)}
                >
                  <Button danger size="small" data-testid="reject">
                    {t('att.board.reject')}
                  </Button>
                </Popconfirm>,
              ]}
            >
              <List.Item.Meta title={`${r.staffName} · ${r.workDate} ${r.time}`} description={r.reason} />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

// 顶岗 ✓/✗ under a person on leave: who covers them today and whether that colleague has punched in
function CoverLine({ r, t }: { r: BoardRow; t: I18n['t'] }) {
  const c = r.cover;
  if (!c) return null;
  const mark = c.onPost === null ? '' : c.onPost ? ' ✓' : ' ✗';
  const color = c.onPost === false ? (c.onPostFirst ? 'red' : 'orange') : c.onPost ? 'green' : 'default';
  const title = c.onPost === false && c.onPostFirst ? t('att.board.cover.missing') : undefined;
  return (
    <Tag color={color} title={title} data-testid={`cover-${r.employeeNo}`} data-on-post={c.onPost === null ? 'outside' : String(c.onPost)} style={{ marginTop: 4 }}>
      {t('att.board.cover', { name: c.name })}{mark}
    </Tag>
  );
}

export default function BoardPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const tenant = useTenant();
  const screens = Grid.useBreakpoint();
  const isMobile = screens.md === false;
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<string>('all');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const [person, setPerson] = useState<BoardRow | null>(null);
  const boardKey = keys.tenant(tenant.id, 'attendance', 'board');
  // keyed by page, search and state: an answer for another filter never lands here; refreshes itself while visible
  const answer = useQuery({
    queryKey: [...boardKey, { page, search, filter }],
    queryFn: ({ signal }) =>
      attendanceApi.board(
        tenant.id,
        { currentPage: page, pageSize: PAGE_SIZE, searchString: search || undefined, state: filter === 'all' ? undefined : filter },
        signal,
      ),
    enabled: !!tenant.id,
    refetchInterval: REFRESH_MS,
    refetchOnWindowFocus: true,
    placeholderData: keepPreviousData,
    meta: { silent: true },
  });
  const board: Board | null = answer.data ?? null;
  const updated = board ? board.now.slice(11, 19) : ''; // the center's wall clock
  const missingYear = answer.error ? missingCalendarYear(answer.error) : null;
  const err = answer.error;
  const problem = err && missingYear === null ? (err instanceof ApiError ? err.message(lang) : String(err)) : null;
  const load = () => void queryClient.invalidateQueries({ queryKey: boardKey });
  const rows = board?.rows ?? [];
  const allCount = board ? ORDER.reduce((n, s) => n + (board.counts[s] ?? 0), 0) : 0;
  const pager = board && board.total > PAGE_SIZE
    ? { current: page, pageSize: PAGE_SIZE, total: board.total, showSizeChanger: false, onChange: setPage }
    : false;

  // the state in words, the same on the desktop table and the phone cards: 迟到 12′, 请假·事假
  const stateText = (r: BoardRow) =>
    stateLabel(t, r.state) +
    (r.state === 'late' && r.lateMinutes ? ` ${r.lateMinutes}′` : '') +
    (r.state === 'on_leave' && r.leaveType && LEAVE_NAME[r.leaveType] ? `·${LEAVE_NAME[r.leaveType][lang === 'en' ? 1 : 0]}` : '');
  const columns: ColumnsType<BoardRow> = [
    {
      title: t('att.board.name'),
      dataIndex: 'name',
      render: (_: string, r) => (
        <a onClick={() => setPerson(r)}>
          {r.name} <Typography.Text type="secondary">{r.employeeNo}</Typography.Text>
        </a>
      ),
    },
    { title: t('att.board.unit'), key: 'unit', render: (_: unknown, r) => [r.department, r.window].filter(Boolean).join(' · ') || '—' },
    {
      title: t('att.board.state'),
      dataIndex: 'state',
      width: 150,
      render: (s: BoardState, r) => (
        <>
          <Tag color={STATE_COLOR[s]} data-testid={`state-${r.employeeNo}`} data-state={s}>
            {stateText(r)}
          </Tag>
          <CorrectionBadge t={t} marks={r.corrections} testId={`corr-${r.employeeNo}`} />
          <CoverLine r={r} t={t} />
        </>
      ),
    },
    { title: t('att.board.punches'), key: 'p', width: 130, render: (_: unknown, r) => `${r.firstPunch ?? '—'} / ${r.lastPunch ?? '—'}` },
    {
      title: t('att.board.sessions'),
      key: 's',
      render: (_: unknown, r) => r.sessions.map((s) => <SessionLine key={s.label + s.start} t={t} s={s} />),
    },
  ];

  return (
    <div data-testid="page-board">
      <ScopeBanner />
      <Card
        size={isMobile ? 'small' : 'default'}
        title={
          <Space wrap size={4}>
            <span data-testid="page-title">{t('att.board.title')}</span>
            {board && <Tag>{board.date}</Tag>}
            {board && <Tag color="blue">{t(`att.board.scope.${board.scope}`)}</Tag>}
          </Space>
        }
        extra={
          <Space>
            <Input.Search
              allowClear
              size="small"
              placeholder={t('att.board.search')}
              style={{ width: isMobile ? 120 : 180 }}
              data-testid="board-search"
              onSearch={(v) => {
                setPage(1);
                setSearch(v.trim());
              }}
            />
            <Button icon={<ReloadOutlined />} onClick={load} data-testid="board-refresh" />
          </Space>
        }
      >
        {missingYear !== null && <CalendarMissing year={missingYear} where="board" />}
        {problem && <Alert type="warning" showIcon message={problem} data-testid="board-problem" style={{ marginBottom: board ? 12 : 0 }} />}
        {board && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text type="secondary" data-testid="board-updated">
              {board.workday ? (board.currentSession ? t('att.board.current', { label: board.currentSession }) : '') : reasonLabel(t, board.reason)}
              {' · '}
              {t('att.board.updated', { time: updated })}
            </Typography.Text>
            <div style={{ overflowX: 'auto' }}>
              <Segmented
                value={filter}
                onChange={(v) => {
                  setPage(1);
                  setFilter(String(v));
                }}
                data-testid="board-filter"
                options={[
                  { value: 'all', label: `${t('att.board.all')} ${allCount}` },
                  ...ORDER.filter((s) => board.counts[s] > 0).map((s) => ({
                    value: s,
                    label: (
                      <span data-testid={`count-${s}`}>
                        {stateLabel(t, s)} <Badge count={board.counts[s]} color={BADGE_COLOR[s]} showZero size="small" />
                      </span>
                    ),
                  })),
                ]}
              />
            </div>
            {isMobile ? (
              <List
                data-testid="board-list"
                dataSource={rows}
                pagination={pager ? { ...pager, size: 'small', align: 'center' } : false}
                locale={{ emptyText: t('att.board.empty') }}
                renderItem={(r) => (
                  <Card size="small" className="att-board-card" data-state={r.state} style={{ marginBottom: 8 }} onClick={() => setPerson(r)}>
                    <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                      <span>
                        <b>{r.name}</b> <Typography.Text type="secondary">{r.window ?? r.department ?? ''}</Typography.Text>
                      </span>
                      <span>
                        <Tag color={STATE_COLOR[r.state]} data-testid={`state-${r.employeeNo}`} data-state={r.state}>
                          {stateText(r)}
                        </Tag>
                        <CorrectionBadge t={t} marks={r.corrections} testId={`corr-${r.employeeNo}`} />
                      </span>
                    </Space>
                    <CoverLine r={r} t={t} />
                    <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                      {t('att.board.punches')}{lang === 'en' ? ': ' : '：'}{r.firstPunch ?? '—'} / {r.lastPunch ?? '—'}
                    </Typography.Text>
                  </Card>
                )}
              />
            ) : (
              <Table<BoardRow> rowKey="staffId" size="small" data-testid="board-table" columns={columns} dataSource={rows} pagination={pager} loading={answer.isFetching && !answer.isFetched} />
            )}
          </Space>
        )}
      </Card>
      {can('missed_punch:approve') && tenant.id && <Approvals tenantId={tenant.id} onDecided={load} />}
      <Drawer
        open={!!person}
        onClose={() => setPerson(null)}
        width={isMobile ? '100%' : 720}
        title={person ? `${person.name} ${person.employeeNo}` : ''}
        destroyOnClose
      >
        {person && tenant.id && <MyMonth tenantId={tenant.id} staffId={person.staffId} />}
      </Drawer>
    </div>
  );
}
