// The clerk's clock-in card: the time, today's sessions with their result so far, the dress code, the button.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Col, Empty, Row, Space, Spin, Tag, Typography } from 'antd';
import { EnvironmentOutlined, FieldTimeOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { ApiError } from '../../api';
import { useI18n } from '../../i18n';
import { useApiError } from '../admin/shared';
import { attendanceApi } from './attendanceApi';
import type { TodayView } from './attendanceApi';
import CalendarMissing, { missingCalendarYear } from './CalendarMissing';
import { FindingTag, SessionLine, outsideText, reasonLabel } from './labels';

function position(timeoutMs: number): Promise<GeolocationPosition | null> {
  return new Promise((resolve) => {
    if (!('geolocation' in navigator)) return resolve(null);
    navigator.geolocation.getCurrentPosition(resolve, () => resolve(null), {
      enableHighAccuracy: true,
      timeout: timeoutMs,
      maximumAge: 60_000,
    });
  });
}

export default function ClockIn({ tenantId }: { tenantId: string }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const onError = useApiError();
  const [today, setToday] = useState<TodayView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // the year whose holiday calendar is missing: the day cannot be evaluated, but punches are still taken
  const [missingYear, setMissingYear] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [now, setNow] = useState(dayjs());
  const [offset, setOffset] = useState(0);

  const load = useCallback(async () => {
    try {
      const data = await attendanceApi.today(tenantId);
      setToday(data);
      // the center's wall clock (its time zone, as the server reads it), whatever the browser's zone is; shown at
      // once, not only from the next tick on
      const off = dayjs(data.now.slice(0, 19)).diff(dayjs());
      setOffset(off);
      setNow(dayjs().add(off, 'ms'));
      setProblem(null);
      setMissingYear(null);
    } catch (err) {
      const year = missingCalendarYear(err);
      if (year !== null) setMissingYear(year);
      else setProblem(err instanceof ApiError ? err.message(lang) : String(err));
    }
  }, [tenantId, lang]);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(dayjs().add(offset, 'ms')), 1000);
    return () => window.clearInterval(timer);
  }, [offset]);

  const clockIn = async () => {
    if (!today && missingYear === null) return;
    setBusy(true);
    try {
      // without today's view the location rule is unknown: try a little longer, the server decides
      const pos = await position(!today || today.locationRequired ? 8000 : 3000);
      if (!pos && today?.locationRequired) {
        message.error(t('att.clock.noLocation'));
        return;
      }
      const res = await attendanceApi.clockIn(
        tenantId,
        pos ? { latitude: pos.coords.latitude, longitude: pos.coords.longitude, accuracy: pos.coords.accuracy } : {},
      );
      if (res.outside) message.warning(outsideText(t, res.outside), 8);
      else message.success(t(res.duplicate ? 'att.clock.duplicate' : 'att.clock.done', { time: res.time }));
      await load();
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  };

  if (problem) return <Alert type="warning" showIcon message={problem} data-testid="clock-problem" />;
  if (missingYear !== null) {
    return (
      <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="clock-in">
        <CalendarMissing year={missingYear} where="clock" />
        <Card>
          <Space direction="vertical" align="center" style={{ width: '100%' }} size="middle">
            <Button type="primary" size="large" data-testid="clock-in-button" loading={busy} onClick={clockIn}
              icon={<FieldTimeOutlined />}>
              {t('att.clock.anyway')}
            </Button>
          </Space>
        </Card>
      </Space>
    );
  }
  if (!today) return <Spin />;
  const day = today.day;
  return (
    <Row gutter={[16, 16]} data-testid="clock-in">
      <Col xs={24} md={10}>
        <Card>
          <Space direction="vertical" align="center" style={{ width: '100%' }} size="middle">
            <Typography.Text type="secondary">
              {today.name} · {dayjs(day.date).format('YYYY-MM-DD dddd')}
            </Typography.Text>
            <Typography.Title level={1} style={{ margin: 0, fontVariantNumeric: 'tabular-nums' }} data-testid="clock-now">
              {now.format('HH:mm:ss')}
            </Typography.Title>
            <FindingTag t={t} finding={day.finding} testId="clock-finding" />
            {today.webClockIn ? (
              <Button
                type="primary"
                shape="circle"
                size="large"
                data-testid="clock-in-button"
                loading={busy}
                onClick={clockIn}
                style={{ width: 132, height: 132, fontSize: 22 }}
                icon={<FieldTimeOutlined />}
              >
                {t('att.clock.button')}
              </Button>
            ) : (
              <Alert type="info" showIcon message={t('att.clock.disabled')} />
            )}
            {today.locationRequired && (
              <Typography.Text type="secondary">
                <EnvironmentOutlined /> {t('att.clock.locationNeeded')}
              </Typography.Text>
            )}
          </Space>
        </Card>
      </Col>
      <Col xs={24} md={14}>
        <Card title={t('att.clock.sessions')} size="small" data-testid="clock-sessions">
          {day.workday && day.sessions.length ? (
            day.sessions.map((s) => <SessionLine key={s.label + s.start} t={t} s={s} />)
          ) : (
            <Typography.Text type="secondary">
              {t('att.clock.rest')}
              {day.reason ? ` · ${reasonLabel(t, day.reason)}` : ''}
            </Typography.Text>
          )}
        </Card>
        <Card title={t('att.clock.punches')} size="small" style={{ marginTop: 16 }}>
          {day.punches.length ? (
            <Space wrap data-testid="clock-punches">
              {day.punches.map((p, i) => (
                <Tag key={`${p}-${i}`}>{p}</Tag>
              ))}
            </Space>
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('att.clock.noPunches')} />
          )}
          {(day.outsidePunches ?? []).map((o, i) => (
            <Alert key={`${o.time}-${i}`} type="warning" showIcon style={{ marginTop: 8 }}
              data-testid="clock-outside" message={outsideText(t, o)} />
          ))}
        </Card>
        {today.dressCode && (
          <Card title={t('att.clock.dress')} size="small" style={{ marginTop: 16 }} data-testid="clock-dress">
            <Space wrap>
              <Tag color="blue">{lang === 'en' ? today.dressCode.seasonNameEn : today.dressCode.seasonName}</Tag>
              {today.dressCode.badgeRequired && <Tag>{t('att.clock.badge')}</Tag>}
            </Space>
            <Typography.Paragraph style={{ margin: '8px 0 0' }}>{today.dressCode.dress}</Typography.Paragraph>
          </Card>
        )}
      </Col>
    </Row>
  );
}
