// /red-flag/screen (大厅屏幕): the latest published round (or ?round=), big and read-only, for the hall's screen.
import { useQuery } from '@tanstack/react-query';
import { Empty, Spin } from 'antd';
import { FlagFilled } from '@ant-design/icons';
import { call, client } from '../../api';
import { keys } from '../../api/query';
import { useI18n } from '../../i18n';
import { useTenant } from '../../tenant';

export default function RedFlagScreen({ roundId }: { roundId: string | null }) {
  const { t } = useI18n();
  const tenant = useTenant();
  const path = { tenant_id: tenant.id };
  const round = useQuery({
    queryKey: keys.tenant(tenant.id, 'redFlag', 'screen', roundId),
    queryFn: ({ signal }) =>
      roundId
        ? call(client.GET('/api/t/{tenant_id}/red-flag/rounds/{round_id}', { params: { path: { ...path, round_id: roundId } }, signal }))
        : call(client.GET('/api/t/{tenant_id}/red-flag/screen', { params: { path }, signal })),
    refetchInterval: 5 * 60_000,
    meta: { silent: true },
  });
  if (round.isLoading) return <Spin />;
  const r = round.data;
  return (
    <div data-testid="rf-screen" style={{ background: 'linear-gradient(160deg, #a8071a, #5c0011)', color: '#fff', minHeight: '80vh', padding: '32px 40px', borderRadius: 8 }}>
      {!r ? (
        <Empty description={<span style={{ color: '#fff', fontSize: 24 }}>{t('rf.screen.none')}</span>} />
      ) : (
        <>
          <div style={{ fontSize: 44, fontWeight: 700, textAlign: 'center', letterSpacing: 4 }}>
            <FlagFilled style={{ color: '#ffd666' }} /> {tenant.name} · {t('rf.screen.title', { label: r.label })}
          </div>
          <div style={{ textAlign: 'center', fontSize: 22, opacity: 0.85, margin: '8px 0 28px' }}>
            {t('rf.flagsAwardDay', { flags: r.flags, day: r.awardDay })}
          </div>
          {r.ranking.map((u) => (
            <div key={u.unitId} data-testid={`rf-screen-row-${u.rank}`}
              style={{ display: 'flex', alignItems: 'center', fontSize: u.flag ? 40 : 30, padding: '10px 16px', margin: '6px 0',
                background: u.flag ? 'rgba(255, 214, 102, 0.18)' : 'rgba(255,255,255,0.06)', borderRadius: 8 }}>
              <span style={{ width: 90, fontWeight: 700 }}>{u.rank}</span>
              <span style={{ flex: 1 }}>{u.flag && <FlagFilled style={{ color: '#ffd666', marginRight: 12 }} />}{u.name}</span>
              <span style={{ fontWeight: 700 }}>{t('rf.points', { n: u.total })}</span>
            </div>
          ))}
        </>
      )}
    </div>
  );
}
