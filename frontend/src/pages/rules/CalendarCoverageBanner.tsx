// On the home page of center and provincial admins: a warning when a year without holiday calendar data is near
// (GET /api/t/{t}/calendar-coverage, within the work_hours pack's calendar_warning_days), with a link to the
// rules form; provincial admins also see which centers below are affected.
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/query';
import { Alert, Button, Space, Typography } from 'antd';
import { Link } from 'react-router-dom';
import dayjs from 'dayjs';
import { call, client } from '../../api';
import type { Schemas } from '../../api';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { tenantHref } from '../../tenant';

type TenantCoverage = Schemas['TenantCoverageOut'];
type CoverageAnswer = Schemas['CalendarCoverageOut'];

const FORM = '/rules?pack=work_hours&field=own_calendar';
const SHOWN_BELOW = 8;

function missingYear(c: TenantCoverage): number | undefined {
  return c.years.find((y) => y.status === 'missing')?.year;
}

export default function CalendarCoverageBanner() {
  const { me, can } = useAuth();
  const { t, lang } = useI18n();
  const allowed = can('pack_settings:read');
  const below = can('tenant:onboard'); // provincial admins: every center below is theirs to watch
  const home = String(me?.tenant.id ?? '');
  const answer: CoverageAnswer | null = useQuery({
    queryKey: keys.tenant(home, 'calendar-coverage', below),
    queryFn: ({ signal }) => call(client.GET('/api/t/{tenant_id}/calendar-coverage', {
      params: { path: { tenant_id: home }, query: { below } }, signal })),
    enabled: !!me && allowed,
    meta: { silent: true }, // a warning that cannot load must not break the home page
  }).data ?? null;
  if (!answer) return null;

  const own = answer.coverage;
  const ownYear = missingYear(own);
  const belowYear = answer.below.map(missingYear).find(Boolean);
  const showOwn = own.warning && !!ownYear && !!own.missingFrom;
  if (!showOwn && !answer.below.length) return null;
  const sep = lang === 'en' ? ', ' : '、';
  const fix = (year: number | undefined) => (
    <Link to={tenantHref(String(me?.tenant.id ?? ''), FORM)}>
      <Button type="primary" size="small" data-testid="calendar-warning-fix">
        {t('cal.fix', { year: year ?? '' })}
      </Button>
    </Link>
  );

  return (
    <Space direction="vertical" style={{ width: '100%', marginBottom: 16 }}>
      {showOwn && own.missingFrom ? (
        <Alert
          type={own.blocked ? 'error' : 'warning'}
          showIcon
          data-testid="calendar-warning"
          data-year={ownYear}
          message={t(own.blocked ? 'cal.title.blocked' : 'cal.title.next', { year: ownYear })}
          description={
            <>
              <Typography.Paragraph style={{ marginBottom: 8 }}>
                {t(own.blocked ? 'cal.body.blocked' : 'cal.body.next', {
                  year: ownYear,
                  date: own.missingFrom,
                  days: dayjs(own.missingFrom).diff(dayjs(answer.today), 'day'),
                })}{' '}
                {own.tenant.level === 'province' ? '' : t('cal.body.inherit')}
              </Typography.Paragraph>
              {can('pack_settings:update') ? fix(ownYear) : null}
            </>
          }
        />
      ) : null}
      {answer.below.length ? (
        <Alert
          type={answer.below.some((c) => c.blocked) ? 'error' : 'warning'}
          showIcon
          data-testid="calendar-warning-below"
          data-count={answer.below.length}
          message={t('cal.title.below', { n: answer.below.length, year: belowYear ?? '' })}
          description={
            <>
              <Typography.Paragraph style={{ marginBottom: 8 }}>
                {t('cal.body.below', { year: belowYear ?? '' })}
              </Typography.Paragraph>
              <Typography.Paragraph style={{ marginBottom: 8 }} data-testid="calendar-warning-centers">
                {answer.below.slice(0, SHOWN_BELOW).map((c, i) => (
                  <span key={c.tenant.id}>
                    {i ? sep : ''}
                    <Link to={tenantHref(c.tenant.id, FORM)}>{c.tenant.name}</Link>
                  </span>
                ))}
                {answer.below.length > SHOWN_BELOW ? ` … (${answer.below.length})` : ''}
              </Typography.Paragraph>
              {can('pack_settings:update') ? fix(belowYear) : null}
            </>
          }
        />
      ) : null}
    </Space>
  );
}
