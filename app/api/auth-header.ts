// How /api/v1 requests carry their token (see handler.server.ts).

/** The token in `Bearer <token>` or `Basic base64(<token>:)`; null without the header; '' when it is malformed. */
export function tokenFromHeader(header: string | null): string | null {
  if (header === null || header.trim() === '') return null;
  const [scheme = '', value = ''] = header.trim().split(/\s+/, 2);
  if (scheme.toLowerCase() === 'bearer') return value;
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon === -1 ? decoded : decoded.slice(0, colon);
  }
  return '';
}
