// 我的考核: the month card per category; every line with the rule's name, the clause, 第n次, points, evidence,
import type { ButtonProps } from 'antd';
// who recorded it, and a 申诉 button with its state. Nothing appears as a bare number.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/query';
import { Alert, App as AntApp, Button, Card, Col, Empty, Form, Image, Input, List, Modal, Row, Space, Statistic, Tag, Typography } from 'antd';
import { useI18n } from '../../i18n';
import { useApiError } from '../admin/shared';
import { assessmentApi } from './assessmentApi';
import type { CardLine, ScorecardView } from './assessmentApi';
import { MonthPicker, StatusTag, fmt, lastMonth, useLabel } from './labels';

function Line({ line, tenantId, onAppeal, sanctionsOnly = false }: {
  line: CardLine; tenantId: string; onAppeal?: (l: CardLine) => void; sanctionsOnly?: boolean;
}) {
  const { t } = useI18n();
  const label = useLabel();
  const recorder = line.recorderName ?? (line.source === 'attendance' ? t('as.recorderSystem') : '—');
  return (
    <List.Item
      data-testid={`line-${line.kind}-${line.occurrence}`}
      actions={[
        line.canAppeal && onAppeal ? (
          <Button key="appeal" size="small" onClick={() => onAppeal(line)} data-testid={`appeal-${line.recordId}`}>
            {t('as.appeal')}
          </Button>
        ) : line.appealStatus ? (
          <StatusTag key="st" prefix="as.appealStatus" value={line.appealStatus} />
        ) : null,
      ]}
    >
      <List.Item.Meta
        title={
          <Space wrap size={4}>
            <Typography.Text strong>{line.name}</Typography.Text>
            {sanctionsOnly ? null : (
              <Tag color={line.points < 0 ? 'red' : line.points > 0 ? 'green' : 'default'} data-testid="line-points">
                {line.points > 0 ? '+' : ''}
                {t('as.points', { n: fmt(line.points) })}
              </Tag>
            )}
            {line.type === 'violation' && <Tag>{t('as.occurrence', { n: line.occurrence })}</Tag>}
            {line.warning && <Tag color="orange">{t('as.warning')}</Tag>}
            {line.sanction && <Tag color="volcano" data-testid="line-sanction">{label('as.sanction', line.sanction)}</Tag>}
            {line.fineYuan > 0 && <Tag color="magenta">{t('as.fines')} {t('as.yuan', { n: fmt(line.fineYuan) })}</Tag>}
          </Space>
        }
        description={
          <Space direction="vertical" size={2}>
            <Typography.Text type="secondary" data-testid="line-clause">
              {line.day} · {label('as.source', line.source)} · {line.clause}
              {line.quantity !== 1 ? ` · ×${fmt(line.quantity)}` : ''}
            </Typography.Text>
            <Typography.Text type="secondary">
              {t('as.recorder', { name: recorder })}
              {line.appealDeadline && line.canAppeal ? ` · ${t('as.appealDeadline', { date: line.appealDeadline })}` : ''}
            </Typography.Text>
            {line.note ? <Typography.Text>{line.note}</Typography.Text> : null}
            {line.evidence.length > 0 && (
              <Image.PreviewGroup>
                <Space>
                  {line.evidence.map((id) => (
                    <Image key={id} width={56} height={56} style={{ objectFit: 'cover' }}
                      src={`/api/t/${tenantId}/files/${id}/thumbnail`} preview={{ src: `/api/t/${tenantId}/files/${id}` }} />
                  ))}
                </Space>
              </Image.PreviewGroup>
            )}
          </Space>
        }
      />
    </List.Item>
  );
}

export function ScoreCard({ card, tenantId, onAppeal }: { card: ScorecardView; tenantId: string; onAppeal?: (l: CardLine) => void }) {
  const { t, lang } = useI18n();
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="scorecard">
      <Card size="small">
        {card.sanctionsOnly ? (
          <Row gutter={[16, 8]}>
            <Col xs={24} sm={12}>
              <div data-testid="card-sanctions">
                <Statistic title={t('as.sanctionsCount')} value={card.categories.reduce((n, c) => n + c.lines.filter((l) => l.sanction).length, 0)} />
              </div>
            </Col>
            <Col xs={24} sm={12}>
              <Typography.Text type="secondary">{t('as.sanctionsOnly')}</Typography.Text>
            </Col>
          </Row>
        ) : (
          <Row gutter={[16, 8]}>
            <Col xs={12} sm={6}>
              <div data-testid="card-total"><Statistic title={t('as.total')} value={fmt(card.total)} suffix="/ 100" /></div>
            </Col>
            <Col xs={12} sm={6}>
              <div data-testid="card-pay"><Statistic title={t('as.pay')} value={fmt(card.payYuan)} suffix={lang === 'en' ? 'yuan' : '元'} /></div>
            </Col>
            <Col xs={12} sm={6}>
              <Statistic title={t('as.deducted')} value={fmt(card.deducted)} />
            </Col>
            <Col xs={12} sm={6}>
              <Statistic title={t('as.bonus')} value={fmt(card.bonus)} />
            </Col>
          </Row>
        )}
        <Space wrap style={{ marginTop: 8 }}>
          <StatusTag prefix="as.state" value={card.state} />
          {card.finesYuan > 0 && <Tag color="magenta">{t('as.fines')} {t('as.yuan', { n: fmt(card.finesYuan) })}</Tag>}
          {card.returnToUnit && (
            <Tag color="red" data-testid="card-return">
              {t('as.returnFlag')}：{card.returnReasons.join('；')}
            </Tag>
          )}
          {!card.awardEligible && <Tag color="orange">{t('as.awardBarred')}</Tag>}
          <Typography.Text type="secondary">{t('as.yearDeductions', { n: fmt(card.yearDeductions) })}</Typography.Text>
        </Space>
      </Card>
      {card.categories.map((c) => (
        <Card
          key={c.key}
          size="small"
          data-testid={`cat-${c.key}`}
          title={lang === 'en' ? c.nameEn : c.name}
          extra={card.sanctionsOnly ? null : (
            <Typography.Text strong data-testid={`cat-score-${c.key}`}>{fmt(c.score)} / {fmt(c.maxPoints)}</Typography.Text>
          )}
        >
          {c.lines.length === 0 ? (
            <Typography.Text type="secondary">{t('as.noLines')}</Typography.Text>
          ) : (
            <List size="small" dataSource={c.lines} renderItem={(l) => <Line line={l} tenantId={tenantId} onAppeal={onAppeal} sanctionsOnly={card.sanctionsOnly} />} />
          )}
        </Card>
      ))}
      {card.excluded.length > 0 && (
        <Card size="small" title={t('as.excluded')}>
          <List
            size="small"
            dataSource={card.excluded}
            renderItem={(l) => (
              <List.Item>
                <Typography.Text delete>{l.day} {l.name}</Typography.Text>
                <StatusTag prefix="as.status" value={l.status} />
              </List.Item>
            )}
          />
        </Card>
      )}
    </Space>
  );
}

export default function MyCard({ tenantId }: { tenantId: string }) {
  const { t, lang } = useI18n();
  const onError = useApiError();
  const { message } = AntApp.useApp();
  const [month, setMonth] = useState(lastMonth());
  const cardQuery = useQuery({
    queryKey: keys.tenant(tenantId, 'assessment', 'my', month),
    queryFn: ({ signal }) => assessmentApi.my(tenantId, month, signal),
    meta: { silent: true },
  });
  const card: ScorecardView | null = cardQuery.data ?? null;
  const err = cardQuery.error;
  // the page says itself why there is no card (no staff record, or the server's reason)
  const problem: string | null = !err ? null
    : err.code === 'no_staff_record' ? t('as.noStaff') : err.message(lang);
  const [appealing, setAppealing] = useState<CardLine | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const load = () => void cardQuery.refetch();
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="my-assessment">
      <Space>
        <Typography.Text>{t('as.month')}</Typography.Text>
        <MonthPicker value={month} onChange={setMonth} testId="my-month" />
      </Space>
      {problem ? <Alert type="warning" showIcon message={problem} /> : card ? (
        <ScoreCard card={card} tenantId={tenantId} onAppeal={(l) => { form.resetFields(); setAppealing(l); }} />
      ) : <Card loading />}
      {card && card.categories.length === 0 && <Empty />}
      <Modal
        open={appealing !== null}
        title={appealing ? `${t('as.appeal')}：${appealing.day} ${appealing.name}` : ''}
        onCancel={() => setAppealing(null)}
        okButtonProps={{ 'data-testid': 'appeal-submit' } as ButtonProps}
        onOk={async () => {
          const v = await form.validateFields();
          try {
            await assessmentApi.appeal(tenantId, appealing!.recordId, v.reason);
            message.success(t('as.appealSent'));
            setAppealing(null);
            load();
          } catch (err) {
            onError(err, form);
          }
        }}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="reason" label={t('as.appealReason')} rules={[{ required: true, message: t('as.appealReasonRequired') }]}>
            <Input.TextArea rows={4} maxLength={1000} data-testid="appeal-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
