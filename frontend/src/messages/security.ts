// Texts of issue 8's security work (audit verification findings, unconfirmed revocations), in both languages.
export const securityZh = {
  'audit.checkpointMissing':
    '审计链记录了第 {to} 条处的检查点，但检查点文件中没有（文件被删除或其中的记录被移除）',
  'audit.invalidSeq': '审计链中有序号小于 1 的记录（第 {seq} 条，伪造）',
  'audit.duplicateSeq': '审计链中有两条序号相同的记录（第 {seq} 条）',
  'audit.countMismatch': '审计记录的条数与最大序号不一致（在第 {seq} 条处）',
  'roles.revokeUnconfirmed':
    '撤销已保存，但有 {n} 个服务进程未确认已生效；这些进程在重新连接前会逐次从数据库重新读取权限',
  'devices.defaultNetworkHelp':
    '为防止他人冒用序列号，新考勤机默认只允许从您当前所在的网络（同一 /24 网段）连接；登记后可在“允许的地址”中修改。',
};

export const securityEn: Record<keyof typeof securityZh, string> = {
  'audit.checkpointMissing':
    'The chain records a checkpoint at event {to} that the checkpoint file lacks (file deleted or lines removed)',
  'audit.invalidSeq': 'The chain holds an event with a sequence number below 1 (event {seq}, forged)',
  'audit.duplicateSeq': 'Two events share sequence number {seq}',
  'audit.countMismatch': 'The number of events differs from the highest sequence number (at event {seq})',
  'roles.revokeUnconfirmed':
    'Revoked and saved, but {n} server process(es) did not confirm it; until they reconnect they re-read permissions from the database on every request',
  'devices.defaultNetworkHelp':
    'So that nobody can use the serial number elsewhere, a new terminal may connect only from your current network (the same /24) by default; change it under allowed addresses after registering.',
};
