// Texts of the shared file upload (components/FileUpload.tsx). Merged into the message maps in ../i18n.ts.
export const filesZh = {
  'files.add': '上传',
  'files.addHint': '照片或 PDF',
  'files.tooLarge': '“{name}”超过 {max} MB，无法上传',
  'files.wrongType': '“{name}”不是 JPEG、PNG、WebP 图片或 PDF 文件',
  'files.failed': '“{name}”上传失败：{reason}',
  'files.uploading': '上传中…',
  'files.pdf': 'PDF 文件',
  'files.preview': '查看',
};

export const filesEn: Record<keyof typeof filesZh, string> = {
  'files.add': 'Upload',
  'files.addHint': 'Photo or PDF',
  'files.tooLarge': '“{name}” is larger than {max} MB and cannot be uploaded',
  'files.wrongType': '“{name}” is not a JPEG, PNG or WebP image or a PDF file',
  'files.failed': 'Uploading “{name}” failed: {reason}',
  'files.uploading': 'Uploading…',
  'files.pdf': 'PDF file',
  'files.preview': 'View',
};
