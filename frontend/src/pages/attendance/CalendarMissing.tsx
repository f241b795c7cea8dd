// The explanation shown instead of a raw error when the work calendar has no holiday data for the year
// (409 calendar_year_missing): what it means for the person reading it, and for admins a link to fix it.
import { Alert, Button, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { ApiError } from '../../api';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n';
import { useTenant } from '../../tenant';

/** The year of a `calendar_year_missing` error, or null for any other error. */
export function missingCalendarYear(err: unknown): number | null {
  if (!(err instanceof ApiError) || err.code !== 'calendar_year_missing') return null;
  const year = Number(err.details.year);
  return Number.isFinite(year) && year > 0 ? year : 0;
}

export const OWN_CALENDAR_LINK = '/rules?pack=work_hours&field=own_calendar';

export default function CalendarMissing({ year, where }: { year: number; where: 'clock' | 'board' | 'month' }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const admin = can('pack_settings:update');
  const tenant = useTenant();
  const shown = year || '';
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="calendar-missing"
      data-year={shown}
      message={t('att.calendarMissing.title', { year: shown })}
      description={
        <>
          <Typography.Paragraph style={{ marginBottom: 8 }}>
            {t(`att.calendarMissing.${where}`, { year: shown })}
          </Typography.Paragraph>
          <Typography.Paragraph style={{ marginBottom: admin ? 8 : 0 }}>
            {t(admin ? 'att.calendarMissing.admin' : 'att.calendarMissing.staff', { year: shown })}
          </Typography.Paragraph>
          {admin ? (
            <Link to={tenant.href(OWN_CALENDAR_LINK)}>
              <Button size="small" type="primary" data-testid="calendar-missing-fix">
                {t('att.calendarMissing.fix', { year: shown })}
              </Button>
            </Link>
          ) : null}
        </>
      }
    />
  );
}
