// A length of time for countdowns (cases, complaints): "8天10小时" / "3小时5分钟" in zh, "8d 10h" / "3h 5m" in en.
import type { Lang } from '../i18n';

export function durationText(minutes: number, lang: Lang): string {
  const m = Math.abs(Math.round(minutes));
  const days = Math.floor(m / 1440);
  const hours = Math.floor((m % 1440) / 60);
  const mins = m % 60;
  if (lang === 'en') return days ? `${days}d ${hours}h` : `${hours}h ${mins}m`;
  if (days) return hours ? `${days}天${hours}小时` : `${days}天`;
  return hours ? (mins ? `${hours}小时${mins}分钟` : `${hours}小时`) : `${mins}分钟`;
}
