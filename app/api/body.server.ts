import { ApiError } from './errors';

// Segment's limits: 500 KB per batch request, 32 KB per event. The body is
// read chunk by chunk and refused as soon as it passes the limit, so a huge
// or endless body costs at most the limit in memory.

export const MAX_REQUEST_BYTES = 500 * 1024;
export const MAX_EVENT_BYTES = 32 * 1024;
const DISCARD_LIMIT = 16 * 1024 * 1024;

export async function readLimitedBody(request: Request, limit = MAX_REQUEST_BYTES): Promise<string> {
  // The rest of the body is not read (or read only to be dropped): the connection is not reused.
  const tooLarge = () => new ApiError(413, 'payload_too_large', `the request body is larger than ${limit / 1024} KB`, undefined, [], { Connection: 'close' });
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw tooLarge();
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      void discardRest(reader, size);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = Buffer.concat(chunks);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError(400, 'invalid_json', 'the body is not valid UTF-8');
  }
}

/**
 * Reads the rest of a refused body and drops it, so the sender gets the 413
 * on an intact connection (cancelling the stream resets the socket under the
 * answer); past DISCARD_LIMIT bytes in all, the connection is cut after all.
 */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>, seen: number): Promise<void> {
  try {
    while (seen <= DISCARD_LIMIT) {
      const { done, value } = await reader.read();
      if (done) return;
      seen += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The sender went away: nothing to drop.
  }
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiError(400, 'invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Bytes an event takes as JSON (what Segment's 32 KB limit measures). */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}
