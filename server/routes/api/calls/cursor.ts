// Opaque keyset cursors: the (createdAt, id) of the last call on a page.
import type { CallCursor } from '../../../store/types';

export function encodeCursor(cursor: CallCursor): string {
  return Buffer.from(`${cursor.createdAt}.${cursor.id}`).toString('base64url');
}

export function decodeCursor(raw: string): CallCursor | null {
  const text = Buffer.from(raw, 'base64url').toString('utf8');
  const dot = text.indexOf('.');
  const createdAt = Number(text.slice(0, dot));
  const id = text.slice(dot + 1);
  return dot > 0 && Number.isSafeInteger(createdAt) && id.length > 0 && id.length <= 64 ? { createdAt, id } : null;
}
