// Attachments of board posts: the files picked in a composer are uploaded one by one to the
// post once it exists (POST /api/v1/posts/{id}/files, the raw bytes with ?filename=).
import { api, del } from '@/api/client';

export interface PostFile { id: number; filename: string; mime: string; size: number }

/** The limits the server applies (files.h, boards.h): shown and checked before sending. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
export const MAX_FILES = 10;
export const ACCEPT = '.pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.txt,.md';

/** Uploads the files to the post in order; rejects with the first ApiError (the files before
 *  it stay attached). */
export async function uploadPostFiles(postId: number, files: File[]): Promise<void> {
  for (const f of files) {
    const q = `?filename=${encodeURIComponent(f.name)}`;
    await api('POST', `/api/v1/posts/${postId}/files${q}`, new Blob([f], { type: 'application/octet-stream' }));
  }
}

export const removePostFile = (id: number) => del(`/api/v1/files/${id}`);

/** "1.2 MB", "35 KB" */
export function fileSize(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.ceil(n / 1024))} KB`;
}
