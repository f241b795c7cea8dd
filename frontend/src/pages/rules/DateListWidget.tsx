// "dateList": a form widget for a list of dates (a pack asks for it with `"ui:widget": "dateList"` on an array
// of `format: date` strings). Built for copying a holiday notice: pick one day or a range in a calendar, or type
// "2027-02-06~2027-02-13, 2027-01-01"; the list stays sorted without duplicates and shows runs of consecutive
// days with their weekdays, so it can be checked against the notice at a glance.
import { useMemo, useState } from 'react';
import { Button, DatePicker, Input, Space, Tag, Typography } from 'antd';
import type { WidgetProps } from '@rjsf/utils';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useI18n } from '../../i18n';

const ISO = 'YYYY-MM-DD';
const MAX_RANGE_DAYS = 62;
const WEEK_ZH = ['日', '一', '二', '三', '四', '五', '六'];
const WEEK_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const DATE_RE = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/;
const RANGE_SPLIT = /\s*(?:~|～|至|到|—|–)\s*/g;

function parseDay(text: string): Dayjs | null {
  const m = DATE_RE.exec(text.trim());
  if (!m) return null;
  const iso = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  const d = dayjs(iso);
  return d.isValid() && d.format(ISO) === iso ? d : null; // 2027-02-30 rolls over: refuse it
}

function daysBetween(a: Dayjs, b: Dayjs): string[] | null {
  const [start, end] = a.isAfter(b) ? [b, a] : [a, b];
  const n = end.diff(start, 'day') + 1;
  if (n > MAX_RANGE_DAYS) return null;
  return Array.from({ length: n }, (_, i) => start.add(i, 'day').format(ISO));
}

/** "2027-01-01, 2027-02-06~2027-02-13" -> the dates, and the pieces that could not be read. */
export function parseDates(text: string): { dates: string[]; bad: string[] } {
  const dates: string[] = [];
  const bad: string[] = [];
  const tokens = text.replace(RANGE_SPLIT, '~').split(/[\s,，、;；]+/).filter(Boolean);
  for (const token of tokens) {
    const ends = token.split('~');
    const parsed = ends.map(parseDay);
    if (ends.length === 1 && parsed[0]) dates.push(parsed[0].format(ISO));
    else if (ends.length === 2 && parsed[0] && parsed[1]) {
      const run = daysBetween(parsed[0], parsed[1]);
      if (run) dates.push(...run);
      else bad.push(token);
    } else bad.push(token);
  }
  return { dates, bad };
}

export function normalize(dates: string[]): string[] {
  return [...new Set(dates)].sort();
}

/** Consecutive days grouped: [["2027-02-06", ..., "2027-02-13"], ["2027-02-20"]]. */
export function runs(dates: string[]): string[][] {
  const out: string[][] = [];
  for (const d of dates) {
    const last = out[out.length - 1];
    if (last && dayjs(last[last.length - 1]).add(1, 'day').format(ISO) === d) last.push(d);
    else out.push([d]);
  }
  return out;
}

export default function DateListWidget(props: WidgetProps) {
  const { id, value, onChange, disabled, readonly } = props;
  const { t, lang } = useI18n();
  const [text, setText] = useState('');
  const [bad, setBad] = useState<string[]>([]);
  const dates = useMemo(() => (Array.isArray(value) ? (value as unknown[]).map(String) : []), [value]);
  const sorted = useMemo(() => normalize(dates), [dates]);
  const editable = !disabled && !readonly;
  const week = lang === 'en' ? WEEK_EN : WEEK_ZH;
  // An empty list is usually next year's: open the calendars there.
  const opening = sorted.length ? dayjs(sorted[sorted.length - 1]) : dayjs().add(1, 'year').startOf('year');

  const add = (more: string[]) => onChange(normalize([...dates, ...more]));
  const remove = (day: string) => onChange(normalize(dates.filter((d) => d !== day)));
  const addText = () => {
    const parsed = parseDates(text);
    setBad(parsed.bad);
    if (parsed.dates.length) add(parsed.dates);
    if (!parsed.bad.length) setText('');
  };

  return (
    <Space direction="vertical" size={6} style={{ width: '100%' }} data-testid={`${id}-dates`}>
      {editable ? (
        <Space wrap size={[8, 6]}>
          <DatePicker
            value={null}
            placeholder={t('rules.dates.pickDay')}
            defaultPickerValue={opening}
            onChange={(d: Dayjs | null) => d && add([d.format(ISO)])}
            data-testid={`${id}-pick-day`}
          />
          <span data-testid={`${id}-pick-range`}>
            <DatePicker.RangePicker
              value={null}
              placeholder={[t('rules.dates.from'), t('rules.dates.to')]}
              defaultPickerValue={[opening, opening]}
              onChange={(range) => {
                const run = range?.[0] && range[1] ? daysBetween(range[0], range[1]) : null;
                if (run) add(run);
              }}
            />
          </span>
          <Space.Compact>
            <Input
              style={{ width: 300 }}
              value={text}
              status={bad.length ? 'error' : undefined}
              placeholder={t('rules.dates.typeHint')}
              onChange={(e) => setText(e.target.value)}
              onPressEnter={(e) => {
                e.preventDefault();
                addText();
              }}
              data-testid={`${id}-text`}
            />
            <Button onClick={addText} data-testid={`${id}-add`}>
              {t('rules.dates.add')}
            </Button>
          </Space.Compact>
        </Space>
      ) : null}
      {bad.length ? (
        <Typography.Text type="danger" data-testid={`${id}-bad`}>
          {t('rules.dates.bad', { items: bad.join(lang === 'en' ? ', ' : '、'), n: MAX_RANGE_DAYS })}
        </Typography.Text>
      ) : null}
      <Typography.Text type="secondary" data-testid={`${id}-count`} data-count={sorted.length}>
        {sorted.length ? t('rules.dates.count', { n: sorted.length, runs: runs(sorted).length }) : t('rules.dates.none')}
      </Typography.Text>
      <Space wrap size={[12, 6]} data-testid={`${id}-list`}>
        {runs(sorted).map((run) => (
          <span key={run[0]} className="rules-date-run">
            {run.map((d) => {
              const day = dayjs(d);
              const weekend = day.day() === 0 || day.day() === 6;
              return (
                <Tag
                  key={d}
                  data-date={d}
                  color={weekend ? 'orange' : undefined}
                  closable={editable}
                  onClose={(e) => {
                    e.preventDefault();
                    remove(d);
                  }}
                  style={{ marginInlineEnd: 4 }}
                >
                  {day.format(d === run[0] ? ISO : 'MM-DD')} {week[day.day()]}
                </Tag>
              );
            })}
          </span>
        ))}
      </Space>
    </Space>
  );
}
