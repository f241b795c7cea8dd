// 年度考核: the year sheet of the closed months — average score and deductions, leave and absence days, award
// eligibility and the annual bonus with every reason and its rule, 优秀首席代表 candidates where the rules have
// them. Printable.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/query';
import { Alert, Button, Card, InputNumber, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useI18n } from '../../i18n';
import { assessmentApi } from './assessmentApi';
import type { AnnualRow, AnnualView } from './assessmentApi';
import { LEAVE_NAME } from '../attendance/labels';
import { fmt } from './labels';

export default function AnnualTab({ tenantId }: { tenantId: string }) {
  const { t, lang } = useI18n();
  const [year, setYear] = useState(dayjs().subtract(1, 'month').year());
  const data: AnnualView | null = useQuery({
    queryKey: keys.tenant(tenantId, 'assessment', 'year', year),
    queryFn: ({ signal }) => assessmentApi.year(tenantId, year, signal),
  }).data ?? null;
  const reasons = (items: string[]) => items.map((r, i) => <div key={i}>{r}</div>);
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="annual">
      <Space wrap>
        <InputNumber min={2000} max={dayjs().year()} value={year} onChange={(v) => v && setYear(v)} addonAfter={t('as.y.year')}
          data-testid="annual-year" />
        <Button onClick={() => window.print()} disabled={!data}>{t('as.m.print')}</Button>
        <Button href={assessmentApi.yearXlsx(tenantId, year)} disabled={!data} data-testid="annual-xlsx">
          {t('as.y.xlsx')}
        </Button>
      </Space>
      <Card size="small" loading={data === null}>
        {data && (
          <div className="as-print">
            <Typography.Title level={4} style={{ textAlign: 'center' }}>{t('as.y.title', { center: data.center, year: data.year })}</Typography.Title>
            <Typography.Paragraph type="secondary">
              {data.monthsClosed.length ? t('as.y.months', { months: data.monthsClosed.map((m) => m.slice(5)).join('、') }) : t('as.y.noMonths')}
              {data.chiefCandidates > 0 ? `；${t('as.y.candidates', { n: data.chiefCandidates })}` : ''}
            </Typography.Paragraph>
            {data.monthsClosed.length === 0 && <Alert type="info" showIcon message={t('as.y.noMonths')} />}
            <Table<AnnualRow>
              rowKey="staffId"
              size="small"
              dataSource={data.rows}
              scroll={{ x: 1000 }}
              pagination={{ pageSize: 100, hideOnSinglePage: true }}
              columns={[
                { title: t('as.list.person'), fixed: 'left', width: 140, render: (_, r) => (
                  <Space size={4} wrap>
                    <span>{r.name} {r.employeeNo}</span>
                    {r.chief && <Tag>{t('as.y.chief')}</Tag>}
                    {r.chiefCandidate && <Tag color="gold" data-testid="chief-candidate">{t('as.y.candidate')}</Tag>}
                  </Space>) },
                { title: t('as.m.department'), dataIndex: 'departmentName', width: 120 },
                { title: t('as.y.monthsScored'), dataIndex: 'monthsScored', width: 70 },
                { title: t('as.y.average'), render: (_, r) => fmt(r.averageTotal), width: 80, sorter: (a, b) => a.averageTotal - b.averageTotal },
                { title: t('as.y.deductions'), render: (_, r) => fmt(r.deductions), width: 80 },
                { title: t('as.y.leave'), width: 120, render: (_, r) => Object.entries(r.leaveDays).map(([k, d]) => `${(LEAVE_NAME[k] ?? [k, k])[lang === 'en' ? 1 : 0]} ${fmt(d)}`).join('，') || '—' },
                { title: t('as.y.absence'), render: (_, r) => fmt(r.absenceDays), width: 70 },
                { title: t('as.m.eligible'), width: 220, render: (_, r) => r.awardEligible ? t('as.m.yes')
                  : <><Tag color="orange">{t('as.m.no')}</Tag>{reasons(r.awardReasons)}</> },
                { title: t('as.y.bonus'), width: 260, render: (_, r) => r.bonusCancelled
                  ? <span data-testid="bonus-cancelled"><Tag color="red">{t('as.y.cancelled')}</Tag>{reasons(r.bonusReasons)}</span> : t('as.y.kept') },
              ]}
            />
          </div>
        )}
      </Card>
    </Space>
  );
}
