// A file download through fetch, for the exports that may answer 409 use_background_job (issue 16): the page
// starts the job instead of the browser showing a page of JSON.
import { ApiError } from './index';

/** Downloads `url` as `filename` through fetch (so that a 409 use_background_job can be answered with a job instead
 * of a page of JSON); throws the server's ApiError when it refuses. */
export async function fetchDownload(url: string, filename: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, null);
  }
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
  const header = res.headers.get('content-disposition') ?? '';
  const named = /filename\*=UTF-8''([^;]+)/i.exec(header);
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await res.blob());
  link.download = named ? decodeURIComponent(named[1]) : filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

