// 巡查记录: the week's patrols, fixed and closing checks, with their findings and photos.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/query';
import { Button, Card, DatePicker, Empty, Image, List, Space, Spin, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { fileUrl } from '../../components/FileUpload';
import { isMessageKey, useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n';
import { supervisionApi } from './supervisionApi';
import type { PatrolOut } from './supervisionApi';

export default function HistoryTab({ tenantId, today }: { tenantId: string; today: Dayjs }) {
  const { t, lang } = useI18n();
  const [monday, setMonday] = useState<Dayjs>(() => today.subtract((today.day() + 6) % 7, 'day'));
  const start = monday.format('YYYY-MM-DD');
  const end = monday.add(6, 'day').format('YYYY-MM-DD');
  const rows: PatrolOut[] | null = useQuery({
    queryKey: keys.tenant(tenantId, 'supervision', 'patrols', start, end),
    queryFn: ({ signal }) => supervisionApi.history(tenantId, start, end, signal),
  }).data ?? null;
  const time = (iso: string) => new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="patrol-history">
      <Space>
        <Button onClick={() => setMonday(monday.subtract(7, 'day'))}>‹</Button>
        <DatePicker picker="week" value={monday} allowClear={false}
          onChange={(v) => v && setMonday(v.subtract((v.day() + 6) % 7, 'day'))} />
        <Button onClick={() => setMonday(monday.add(7, 'day'))}>›</Button>
      </Space>
      {rows === null ? <Spin /> : rows.length === 0 ? <Empty description={t('sv.history.empty')} /> : rows.map((p) => (
        <Card key={p.id} size="small" data-testid="history-patrol"
          title={<Space wrap><span>{time(p.startedAt)}</span><Tag>{t(`sv.kind.${p.kind}` as MessageKey)}</Tag>
            <Tag>{isMessageKey(`sv.mode.${p.mode}`) ? t(`sv.mode.${p.mode}` as never) : p.mode}</Tag>
            <Tag color="blue">{p.half === 'am' ? t('sv.col.am') : t('sv.col.pm')}</Tag><span>{p.officerName}</span></Space>}>
          {Object.entries(p.results).filter(([, v]) => v === 'fail').map(([k]) => <Tag key={k} color="red">{k}</Tag>)}
          {p.findings.length === 0 ? <Typography.Text type="secondary">{t('sv.noFindings')}</Typography.Text> : (
            <List size="small" dataSource={p.findings} renderItem={(f) => (
              <List.Item>
                <Space direction="vertical" size={2}>
                  <Space wrap>
                    <strong>{f.staffName ?? ''}</strong><span>{f.itemName}</span>
                    <Tag>{isMessageKey(`sv.sanction.${f.sanction}`) ? t(`sv.sanction.${f.sanction}` as never) : f.sanction}</Tag>
                    {f.violationId && <Tag color="red">{t('sv.deduction')}</Tag>}
                    {f.clause && <Typography.Text type="secondary">{f.clause}</Typography.Text>}
                  </Space>
                  {f.note && <Typography.Text>{f.note}</Typography.Text>}
                  {f.evidence.length > 0 && (
                    <Image.PreviewGroup>
                      <Space>
                        {f.evidence.map((id) => (
                          <Image key={id} width={64} height={64} style={{ objectFit: 'cover' }} data-testid="history-photo"
                            src={fileUrl(tenantId, id, true)} preview={{ src: fileUrl(tenantId, id) }} />
                        ))}
                      </Space>
                    </Image.PreviewGroup>
                  )}
                </Space>
              </List.Item>
            )} />
          )}
        </Card>
      ))}
    </Space>
  );
}
