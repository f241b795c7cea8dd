// A reusable upload field for the tenant file store (POST /api/t/{tenant}/files): photos (JPEG, PNG, WebP) and
// PDF scans. Works as an antd Form control: `value` is the list of file ids, `onChange` reports them after
// each upload or removal. Shows thumbnails for images; on phones `capture` opens the camera directly.
//
//   <Form.Item name="sickNoteFileIds" label="病假证明" rules={[{ required: true }]}>
//     <FileUpload tenantId={tenant.id} purpose="leave.sick_note" maxCount={3} data-testid="sick-note" />
//   </Form.Item>
import { App as AntApp, Upload } from 'antd';
import type { UploadFile, UploadProps } from 'antd';
import { FilePdfOutlined, PlusOutlined } from '@ant-design/icons';
import { useMemo, useState } from 'react';
import { ApiError, api } from '../api';
import { useI18n } from '../i18n';

/** What the server answers for a stored file. */
export interface StoredFileInfo {
  id: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  width: number | null;
  height: number | null;
}

export const ACCEPTED_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'];
/** The server's default limit (GOVHALL_UPLOAD_MAX_BYTES); the server checks again, whatever this says. */
export const DEFAULT_MAX_MB = 10;

export function fileUrl(tenantId: string, id: string, thumbnail = false): string {
  return `/api/t/${tenantId}/files/${id}${thumbnail ? '/thumbnail' : ''}`;
}

export interface FileUploadProps {
  tenantId: string;
  /** Which domain the files belong to, e.g. `leave.sick_note`; decides who else may read them. */
  purpose: string;
  /** Ids of the uploaded files (controlled by antd Form). */
  value?: string[];
  onChange?: (ids: string[]) => void;
  /** Files known already (editing a saved form): shown with their names and thumbnails. */
  initialFiles?: StoredFileInfo[];
  maxCount?: number;
  maxMb?: number;
  /** Only images (evidence photos): the picker and the camera offer images only. */
  imagesOnly?: boolean;
  /** Open the phone camera directly. */
  capture?: boolean;
  disabled?: boolean;
  'data-testid'?: string;
}

function toItem(tenantId: string, f: StoredFileInfo): UploadFile {
  const image = f.mime.startsWith('image/');
  return {
    uid: f.id,
    name: f.name,
    status: 'done',
    url: fileUrl(tenantId, f.id),
    thumbUrl: image ? fileUrl(tenantId, f.id, true) : undefined,
    type: f.mime,
    response: f,
  };
}

export default function FileUpload(props: FileUploadProps) {
  const { tenantId, purpose, value, onChange, initialFiles, maxCount = 5, maxMb = DEFAULT_MAX_MB } = props;
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const [items, setItems] = useState<UploadFile[]>(() => (initialFiles ?? []).map((f) => toItem(tenantId, f)));
  const accept = (props.imagesOnly ? ACCEPTED_TYPES.filter((m) => m.startsWith('image/')) : ACCEPTED_TYPES).join(',');

  // Ids set from outside (a form reset) prune the list; ids we have not seen yet are shown by id.
  const shown = useMemo(() => {
    if (value === undefined) return items;
    const known = items.filter((i) => i.status !== 'done' || value.includes((i.response as StoredFileInfo)?.id ?? i.uid));
    const extra = value
      .filter((id) => !known.some((i) => ((i.response as StoredFileInfo)?.id ?? i.uid) === id))
      .map<UploadFile>((id) => ({ uid: id, name: id.slice(0, 8), status: 'done', url: fileUrl(tenantId, id) }));
    return [...known, ...extra];
  }, [items, value, tenantId]);

  const report = (next: UploadFile[]) => {
    setItems(next);
    onChange?.(next.filter((i) => i.status === 'done').map((i) => (i.response as StoredFileInfo)?.id ?? i.uid));
  };

  const beforeUpload: UploadProps['beforeUpload'] = (file) => {
    if (file.type && !ACCEPTED_TYPES.includes(file.type)) {
      message.error(t('files.wrongType', { name: file.name }));
      return Upload.LIST_IGNORE;
    }
    if (file.size > maxMb * 1024 * 1024) {
      message.error(t('files.tooLarge', { name: file.name, max: maxMb }));
      return Upload.LIST_IGNORE;
    }
    return true;
  };

  const customRequest: UploadProps['customRequest'] = async ({ file, onSuccess, onError }) => {
    const body = new FormData();
    body.append('file', file as Blob);
    body.append('purpose', purpose);
    try {
      const stored = await api.post<StoredFileInfo>(`/api/t/${tenantId}/files`, body);
      onSuccess?.(stored);
    } catch (err) {
      const reason = err instanceof ApiError ? err.message(lang) : t('error.unknown');
      message.error(t('files.failed', { name: (file as File).name, reason }));
      onError?.(new Error(reason));
    }
  };

  const handleChange: UploadProps['onChange'] = ({ fileList }) => {
    const next = fileList
      .filter((i) => i.status !== 'error')
      .map((i) => {
        const stored = i.response as StoredFileInfo | undefined;
        return i.status === 'done' && stored?.id ? { ...toItem(tenantId, stored), uid: i.uid } : i;
      });
    report(next);
  };

  return (
    <div data-testid={props['data-testid'] ?? 'file-upload'}>
      <Upload
        listType="picture-card"
        accept={accept}
        multiple={maxCount > 1}
        maxCount={maxCount}
        fileList={shown}
        disabled={props.disabled}
        beforeUpload={beforeUpload}
        customRequest={customRequest}
        onChange={handleChange}
        onRemove={(removed) => {
          report(items.filter((i) => i.uid !== removed.uid));
          return false;
        }}
        iconRender={(file) => (file.type === 'application/pdf' ? <FilePdfOutlined /> : undefined)}
        showUploadList={{ showPreviewIcon: true, showRemoveIcon: !props.disabled }}
        onPreview={(file) => {
          if (file.url) window.open(file.url, '_blank', 'noopener');
        }}
        capture={props.capture ? 'environment' : undefined}
        locale={{ uploading: t('files.uploading'), previewFile: t('files.preview') }}
      >
        {shown.length >= maxCount || props.disabled ? null : (
          <div data-testid="file-upload-add">
            <PlusOutlined />
            <div style={{ marginTop: 8 }}>{t('files.add')}</div>
            <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>{t('files.addHint')}</div>
          </div>
        )}
      </Upload>
    </div>
  );
}
