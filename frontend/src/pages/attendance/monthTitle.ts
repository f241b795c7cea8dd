import dayjs from 'dayjs';

/** "2026-03" as 2026年3月 (zh) or March 2026. */
export function monthTitle(month: string, zh: boolean): string {
  const d = dayjs(`${month}-01`);
  return zh ? `${d.year()}年${d.month() + 1}月` : d.locale('en').format('MMMM YYYY');
}
