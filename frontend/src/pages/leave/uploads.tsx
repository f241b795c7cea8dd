// Uploads of the leave pages go to the tenant file store (components/FileUpload): sick notes, attachments and the
// scans of signed slips. Purposes `leave.*` are readable by the holder, the request's approvers, the center admin
// and the chief representative of the department (domain/leave/files.py).
import FileUpload from '../../components/FileUpload';

export function ScanUpload({ tenantId, purpose, value, onChange, testId, max = 1 }: {
  tenantId: string;
  purpose: string;
  value?: string[];
  onChange?: (ids: string[]) => void;
  testId: string;
  max?: number;
}) {
  return <FileUpload tenantId={tenantId} purpose={purpose} value={value} onChange={onChange} maxCount={max} data-testid={testId} />;
}
