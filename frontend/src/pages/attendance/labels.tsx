// How findings, session results and board states look (colour, text), shared by the attendance pages.
import { Tag, Tooltip } from 'antd';
import type { I18n, MessageKey } from '../../i18n';
import { isMessageKey } from '../../i18n';
import type { BoardState, CorrectionMark, Finding, OutsidePunch, SessionView } from './attendanceApi';

export const FINDING_COLOR: Record<Finding, string> = {
  absence: 'red',
  missed_punch: 'volcano',
  late_early: 'orange',
  late: 'gold',
  early_leave: 'gold',
  on_leave: 'blue',
  on_time: 'green',
  rest_day: 'default',
  in_progress: 'processing',
  pending: 'purple',
  future: 'default',
  today: 'processing',
};

export const STATE_COLOR: Record<BoardState, string> = {
  late: 'gold',
  not_punched: 'volcano',
  absent: 'red',
  on_leave: 'blue',
  in: 'green',
  left: 'default',
  upcoming: 'default',
  rest: 'default',
};

/** A day on leave shows the leave's type (事 / 病 / 年 ...), matching the Excel export. */
export const LEAVE_SYMBOL: Record<string, [string, string]> = {
  personal: ['事', 'VP'], sick: ['病', 'VS'], annual: ['年', 'VA'], marriage: ['婚', 'VM'], maternity: ['产', 'VB'],
  family_visit: ['探', 'VF'], bereavement: ['丧', 'VD'], official: ['公', 'VO'],
};
export const LEAVE_NAME: Record<string, [string, string]> = {
  personal: ['事假', 'personal'], sick: ['病假', 'sick'], annual: ['年休假', 'annual'], marriage: ['婚假', 'marriage'],
  maternity: ['产假', 'maternity'], family_visit: ['探亲假', 'family visit'], bereavement: ['丧假', 'bereavement'],
  official: ['公假', 'official'],
};

/** A short symbol per finding for dense tables (the sheet), matching the Excel export. */
export const FINDING_SYMBOL: Partial<Record<Finding, [string, string]>> = {
  on_time: ['√', 'OK'],
  late: ['迟', 'L'],
  early_leave: ['退', 'E'],
  late_early: ['迟退', 'LE'],
  missed_punch: ['缺', 'M'],
  absence: ['旷', 'A'],
  on_leave: ['假', 'V'],
  rest_day: ['休', '-'],
  pending: ['待', '…'],
  today: ['今', 'T'],
};

function key(k: string): MessageKey | null {
  return isMessageKey(k) ? k : null;
}

export function findingLabel(t: I18n['t'], finding: string): string {
  const k = key(`att.finding.${finding}`);
  return k ? t(k) : finding;
}

export function FindingTag({ t, finding, testId }: { t: I18n['t']; finding: string; testId?: string }) {
  return (
    <Tag color={FINDING_COLOR[finding as Finding] ?? 'default'} data-testid={testId} data-finding={finding}>
      {findingLabel(t, finding)}
    </Tag>
  );
}

export function stateLabel(t: I18n['t'], state: string): string {
  const k = key(`att.board.state.${state}`);
  return k ? t(k) : state;
}

export function reasonLabel(t: I18n['t'], reason: string | null): string | null {
  if (!reason) return null;
  const k = key(`att.reason.${reason}`);
  return k ? t(k) : reason;
}

/** "迟到 12 分钟" / "缺下班卡" ...: why a session is what it is. */
export function sessionResult(t: I18n['t'], s: SessionView): string {
  if (s.status === 'absence' && s.missing) {
    return t(s.missing === 'in' ? 'att.session.absence_missing_in' : 'att.session.absence_missing_out');
  }
  if (s.status === 'late') return t('att.session.late', { m: s.lateMinutes });
  if (s.status === 'early') return t('att.session.early', { m: s.earlyMinutes });
  if (s.status === 'late_early') return t('att.session.late_early', { l: s.lateMinutes, e: s.earlyMinutes });
  if ((s.status === 'missed_in' || s.status === 'missed_out') && (s.lateMinutes || s.earlyMinutes)) {
    const base = t(`att.session.${s.status}` as MessageKey);
    return s.lateMinutes ? `${base}（${t('att.session.late', { m: s.lateMinutes })}）` : base;
  }
  if (s.status === 'corrected' && s.correction) {
    const kind = key(`att.corr.kind.${s.correction}`);
    return `${t('att.session.corrected')}（${kind ? t(kind) : s.correction}）`;
  }
  const k = key(`att.session.${s.status}`);
  return k ? t(k) : s.status;
}

export const SESSION_COLOR: Record<string, string> = {
  on_time: 'green',
  late: 'gold',
  early: 'gold',
  late_early: 'orange',
  missed_in: 'volcano',
  missed_out: 'volcano',
  absence: 'red',
  leave: 'blue',
  not_required: 'default',
  upcoming: 'default',
  in_progress: 'processing',
  outing: 'cyan',
  corrected: 'geekblue',
};

/** One line per session: "上午 08:30–12:00 · 打卡 08:42 / 12:01 · 迟到 12 分钟". */
export function SessionLine({ t, s }: { t: I18n['t']; s: SessionView }) {
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6, alignItems: 'center', lineHeight: '24px' }}>
      <span style={{ minWidth: 110 }}>
        {s.label} {s.start}–{s.end}
        {s.openToPublic ? '' : `（${t('att.session.closed')}）`}
      </span>
      {(s.inTime || s.outTime) && (
        <span style={{ color: '#888' }}>{t('att.session.punched', { in: s.inTime ?? '—', out: s.outTime ?? '—' })}</span>
      )}
      <Tag color={SESSION_COLOR[s.status] ?? 'default'} data-session-status={s.status}>
        {sessionResult(t, s)}
      </Tag>
      {s.partialLeave && <Tag color="blue">{t('att.session.partialLeave')}</Tag>}
    </div>
  );
}

/** Why a punch counts for no session: "07:10 的打卡不在任何打卡时段内（上午上班 07:30-10:15），不计入考勤". */
export function outsideText(t: I18n['t'], o: OutsidePunch): string {
  if (o.reason === 'rest_day' || !o.label) return t('att.outside.rest', { time: o.time });
  return t('att.outside.window', {
    time: o.time,
    label: o.label,
    kind: t(o.window === 'out' ? 'att.outside.out' : 'att.outside.in'),
    start: o.windowStart ?? '',
    end: o.windowEnd ?? '',
  });
}


/** "考勤更正（上午，外出公务）：全体到市民中心参加联合办公" for each correction of a day. */
export function correctionText(t: I18n['t'], m: CorrectionMark): string {
  const sessions = key(`att.corr.session.${m.sessions}`);
  const kind = key(`att.corr.kind.${m.kind}`);
  return t('att.corr.markTitle', { sessions: sessions ? t(sessions) : m.sessions, kind: kind ? t(kind) : m.kind, reason: m.reason });
}

/** The 更 mark of a corrected day or row, with the corrections in its tooltip (sheet, board, a person's month). */
export function CorrectionBadge({ t, marks, testId, compact = false }: {
  t: I18n['t'];
  marks: CorrectionMark[] | undefined;
  testId?: string;
  compact?: boolean;
}) {
  if (!marks || marks.length === 0) return null;
  const title = marks.map((m) => correctionText(t, m)).join('\n');
  return (
    <Tooltip title={<span style={{ whiteSpace: 'pre-line' }}>{title}</span>}>
      <span className={compact ? 'att-corr-mark att-corr-mark-compact' : 'att-corr-mark'} data-testid={testId} aria-label={title}>
        {t('att.corr.mark')}
      </span>
    </Tooltip>
  );
}
