// Small shared pieces of the assessment pages: month picker, tags for sources, sanctions and statuses.
import { DatePicker, Tag } from 'antd';
import dayjs from 'dayjs';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n';

export function MonthPicker({ value, onChange, testId }: { value: string; onChange: (m: string) => void; testId?: string }) {
  return (
    <span data-testid={testId}>
      <DatePicker
        picker="month"
        allowClear={false}
        value={dayjs(`${value}-01`)}
        onChange={(d) => d && onChange(d.format('YYYY-MM'))}
      />
    </span>
  );
}

export function thisMonth(): string {
  return dayjs().format('YYYY-MM');
}

export function lastMonth(): string {
  return dayjs().subtract(1, 'month').format('YYYY-MM');
}

const STATUS_COLOR: Record<string, string> = {
  recorded: 'default', appealed: 'processing', upheld: 'orange', reduced: 'gold', overturned: 'green', void: 'default',
  pending: 'processing', flagged: 'red', reviewed: 'orange', approved: 'volcano', notified: 'purple',
  returned: 'magenta', dismissed: 'green',
};

export function useLabel() {
  const { t } = useI18n();
  return (prefix: string, key: string | null | undefined) => {
    if (!key) return '';
    const full = `${prefix}.${key}`;
    const text = t(full as MessageKey);
    return text === full ? key : text;
  };
}

export function StatusTag({ prefix, value }: { prefix: string; value: string | null | undefined }) {
  const label = useLabel();
  if (!value) return null;
  return <Tag color={STATUS_COLOR[value] ?? 'default'}>{label(prefix, value)}</Tag>;
}

export function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
}
