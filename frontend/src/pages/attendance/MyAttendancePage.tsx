// /attendance: the clerk's own attendance — clock in, the month calendar, missed-punch requests.
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, List, Tabs, Tag, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { keys } from '../../api/query';
import { useTenant } from '../../tenant';
import ClockIn from './ClockIn';
import MyMonth from './MyMonth';
import { attendanceApi } from './attendanceApi';
import type { MissedPunch } from './attendanceApi';
import './attendance.css';

const STATUS_COLOR: Record<string, string> = { pending: 'processing', approved: 'green', rejected: 'red', withdrawn: 'default' };

function MyRequests({ tenantId }: { tenantId: string }) {
  const { t, lang } = useI18n();
  const answer = useQuery({
    queryKey: keys.tenant(tenantId, 'attendance', 'missed-punches', 'mine'),
    queryFn: ({ signal }) => attendanceApi.myMissedPunches(tenantId, signal),
    meta: { silent: true },
  });
  const items: MissedPunch[] | null = answer.data ?? (answer.error ? [] : null);
  // no staff record: say so, as the other tabs do, instead of a toast over a skeleton that never ends
  const problem = answer.error ? (answer.error instanceof ApiError ? answer.error.message(lang) : String(answer.error)) : null;
  if (problem) return <Alert type="warning" showIcon message={problem} data-testid="requests-problem" />;
  return (
    <Card size="small" title={t('att.req.mine')} loading={items === null}>
      {items && items.length === 0 ? (
        <Empty description={t('att.req.none')} />
      ) : (
        <List
          data-testid="my-requests"
          dataSource={items ?? []}
          renderItem={(r) => (
            <List.Item>
              <List.Item.Meta
                title={`${r.workDate} ${r.time}`}
                description={
                  <>
                    {r.reason}
                    {r.decisionNote ? <Typography.Text type="secondary">（{r.decisionNote}）</Typography.Text> : null}
                  </>
                }
              />
              <Tag color={STATUS_COLOR[r.status]}>{t(`att.req.status.${r.status}` as 'att.req.status.pending')}</Tag>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

export default function MyAttendancePage() {
  const { me, can } = useAuth();
  const { t } = useI18n();
  const tenant = useTenant();
  const [params, setParams] = useSearchParams();
  if (!me) return null;
  const tenantId = tenant.id;
  if (!me.hasStaff) {
    // an account without a staff record (a center admin, a provincial admin visiting): no clock-in, no own month
    return (
      <div data-testid="page-attendance">
        <Alert type="info" showIcon message={t('att.noStaff')} data-testid="attendance-no-staff" />
      </div>
    );
  }
  const tabs = [
    ...(can('attendance:punch') ? [{ key: 'clock', label: t('att.tab.clock'), children: <ClockIn tenantId={tenantId} /> }] : []),
    { key: 'month', label: t('att.tab.month'), children: <MyMonth tenantId={tenantId} /> },
    ...(can('missed_punch:request')
      ? [{ key: 'requests', label: t('att.tab.requests'), children: <MyRequests tenantId={tenantId} /> }]
      : []),
  ];
  const active = tabs.some((x) => x.key === params.get('tab')) ? params.get('tab')! : tabs[0].key;
  return (
    <div data-testid="page-attendance">
      <Tabs
        activeKey={active}
        onChange={(key) => setParams({ tab: key }, { replace: true })}
        items={tabs.map((x) => ({ ...x, label: <span data-testid={`att-tab-${x.key}`}>{x.label}</span> }))}
        destroyInactiveTabPane
      />
    </div>
  );
}
