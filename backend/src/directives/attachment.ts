import type { DIRECTIVE_ATTACHMENT_TYPES } from '@dxoc/contracts';

export type AttachmentType = (typeof DIRECTIVE_ATTACHMENT_TYPES)[number];

const SIGNATURES: { type: AttachmentType; ext: string; magic: number[] }[] = [
  { type: 'application/pdf', ext: 'pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/png', ext: 'png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', ext: 'jpg', magic: [0xff, 0xd8, 0xff] },
];

/** The type of a file by its first bytes (never by its name or declared Content-Type); null: not an accepted type. */
export function sniffAttachment(bytes: Uint8Array): { type: AttachmentType; ext: string } | null {
  const hit = SIGNATURES.find((s) => s.magic.length <= bytes.length && s.magic.every((b, i) => bytes[i] === b));
  return hit ? { type: hit.type, ext: hit.ext } : null;
}

/**
 * A file name safe to store and to put in Content-Disposition: the base name, control characters, quotes, slashes
 * and backslashes removed, at most 120 characters, the extension of the sniffed type; empty → "giai-trinh.<ext>".
 */
export function cleanFileName(given: string | undefined, ext: string): string {
  const base = (given ?? '')
    .split(/[\\/]/)
    .pop()!
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"';]/g, '')
    .trim()
    .replace(/\.[A-Za-z0-9]{1,8}$/, '')
    .slice(0, 120);
  return `${base === '' ? 'giai-trinh' : base}.${ext}`;
}

/** Content-Disposition for a download: an ASCII fallback name and the UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(fileName: string): string {
  const ascii =
    fileName
      .normalize('NFD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/[\\"]/g, '') || 'attachment';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
