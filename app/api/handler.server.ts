import type { AppLoadContext } from '@remix-run/node';
import { verifyApiToken, type TokenScope, type VerifiedToken } from '../auth/api-tokens.server';
import { parseJson, readLimitedBody } from './body.server';
import { tokenFromHeader } from './auth-header';
import { ApiError, errorResponse } from './errors';
import { processRateLimiter } from './rate-limit';
import { readReport } from './reports.server';
import { ingestSegment, type SegmentEndpoint } from './segment.server';
import { ingestCalls, ingestLeads } from './webhooks.server';

// The steps of every /api/v1 write, in this order: method (405, after a
// 401 without a valid token), content type (415), token (401; a read token
// on an ingest endpoint 403),
// rate limit per token (429 + Retry-After), body within 500 KB (413) and
// valid JSON (400), then the endpoint (which validates everything before it
// writes). The token alone names the workspace: there is none in the URL, so
// a token of workspace A cannot write to workspace B.
//
// Tokens are read from `Authorization: Bearer <token>`, or HTTP Basic with
// the token as the user name (how Segment libraries send their writeKey), or
// for Segment endpoints a `writeKey` in the body (what analytics.js sends
// from browsers, with Content-Type text/plain to skip the CORS preflight).

export type ApiEndpoint = SegmentEndpoint | 'calls' | 'leads';

const SEGMENT_ENDPOINTS: readonly string[] = ['batch', 'track', 'page', 'identify'];

const CORS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type',
  'Access-Control-Max-Age': '600',
  'Cache-Control': 'no-store',
};

export async function handleApiRequest(request: Request, context: AppLoadContext, endpoint: ApiEndpoint): Promise<Response> {
  try {
    if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS });
    const headerToken = tokenFromHeader(request.headers.get('authorization'));
    if (request.method !== 'POST') {
      // Who may not use the API at all learns only that (401), not which methods exist.
      if (!headerToken || !(await verifyApiToken(context.db, headerToken))) throw unauthorized('the API token is missing, malformed, unknown or revoked');
      throw new ApiError(405, 'method_not_allowed', `${request.method} is not supported here: send POST`, undefined, [], { Allow: 'POST, OPTIONS' });
    }
    const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const isSegment = SEGMENT_ENDPOINTS.includes(endpoint);
    if (type !== 'application/json' && !(isSegment && type === 'text/plain')) {
      throw new ApiError(415, 'unsupported_media_type', `Content-Type must be application/json${isSegment ? ' (or text/plain, as analytics.js sends)' : ''}`);
    }
    let token = headerToken === null ? null : await authenticate(context, headerToken, 'ingest');
    if (token) limit(token);
    const text = await readLimitedBody(request);
    const body = parseJson(text);
    if (!token) {
      const writeKey = isSegment ? bodyWriteKey(body) : undefined;
      if (writeKey === undefined) throw unauthorized('send an API token: Authorization: Bearer <token>');
      token = await authenticate(context, writeKey, 'ingest');
      limit(token);
    }
    const workspace = await context.db.selectFrom('workspaces').selectAll().where('id', '=', token.workspaceId).executeTakeFirst();
    if (!workspace) throw unauthorized('the token is not valid');
    const result = isSegment
      ? await ingestSegment(context.db, workspace, token.id, endpoint as SegmentEndpoint, body)
      : endpoint === 'calls'
        ? await ingestCalls(context.db, workspace, token.id, body)
        : await ingestLeads(context.db, workspace, token.id, body);
    return Response.json(result, { status: 200, headers: CORS });
  } catch (error) {
    if (error instanceof ApiError) return errorResponse(error, CORS);
    console.error(error);
    return errorResponse(new ApiError(500, 'internal', 'the request could not be stored; nothing was written'), CORS);
  }
}

/** GET /api/v1/reports/:name with a read token: the report's rows as JSON. */
export async function handleReportRequest(request: Request, context: AppLoadContext, name: string | undefined): Promise<Response> {
  try {
    if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: { ...CORS, 'Access-Control-Allow-Methods': 'GET, OPTIONS' } });
    const presented = tokenFromHeader(request.headers.get('authorization'));
    if (presented === null) throw unauthorized('send an API token: Authorization: Bearer <token>');
    const token = await authenticate(context, presented, 'read');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      throw new ApiError(405, 'method_not_allowed', `${request.method} is not supported here: send GET`, undefined, [], { Allow: 'GET, OPTIONS' });
    }
    limit(token);
    const workspace = await context.db.selectFrom('workspaces').selectAll().where('id', '=', token.workspaceId).executeTakeFirst();
    if (!workspace) throw unauthorized('the token is not valid');
    const rows = await readReport(context.db, workspace, name ?? '', new URL(request.url).searchParams);
    return Response.json(rows, { status: 200, headers: { ...CORS, 'Access-Control-Allow-Methods': 'GET, OPTIONS' } });
  } catch (error) {
    if (error instanceof ApiError) return errorResponse(error, CORS);
    console.error(error);
    return errorResponse(new ApiError(500, 'internal', 'the report could not be computed'), CORS);
  }
}

/**
 * The token analytics.js puts in the body: top-level `writeKey`, or on every
 * event of a batch (all the same); undefined when there is none or they differ.
 */
function bodyWriteKey(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { writeKey, batch } = body as { writeKey?: unknown; batch?: unknown };
  if (typeof writeKey === 'string') return writeKey;
  if (!Array.isArray(batch) || batch.length === 0) return undefined;
  const keys = new Set(batch.map((e) => (typeof e === 'object' && e !== null ? (e as { writeKey?: unknown }).writeKey : undefined)));
  const [only] = keys;
  return keys.size === 1 && typeof only === 'string' ? only : undefined;
}

/** analytics.js posts to <apiHost>/t, /p, /i and (batching) /b: the same endpoints under Segment's short names. */
const SHORT_NAMES: Record<string, SegmentEndpoint> = { t: 'track', p: 'page', i: 'identify', b: 'batch' };

/** Paths under /api/v1 without a route of their own: Segment's short names, else a JSON 404. */
export async function handleApiSplat(request: Request, context: AppLoadContext, splat: string | undefined): Promise<Response> {
  const endpoint = splat !== undefined && Object.hasOwn(SHORT_NAMES, splat) ? SHORT_NAMES[splat] : undefined;
  return endpoint ? handleApiRequest(request, context, endpoint) : apiNotFound();
}

/** A 404 in the API's JSON shape for /api/v1 paths that do not exist. */
export function apiNotFound(): Response {
  return errorResponse(new ApiError(404, 'not_found', 'no such endpoint (batch, track, page, identify, calls, leads, reports/:name)'), CORS);
}

function unauthorized(message: string): ApiError {
  return new ApiError(401, 'unauthorized', message, undefined, [], { 'WWW-Authenticate': 'Bearer realm="leadpath", Basic realm="leadpath"' });
}

async function authenticate(context: AppLoadContext, token: string, needs: TokenScope): Promise<VerifiedToken> {
  const verified = token ? await verifyApiToken(context.db, token) : null;
  if (!verified) throw unauthorized('the API token is missing, malformed, unknown or revoked');
  if (verified.scope !== needs) throw new ApiError(403, 'forbidden', `this endpoint needs a token with scope ${needs}; this one has scope ${verified.scope}`);
  return verified;
}

function limit(token: VerifiedToken): void {
  const decision = processRateLimiter().take(`token:${token.id}`, Date.now());
  if (!decision.ok) {
    throw new ApiError(429, 'rate_limited', `too many requests for this token: retry after ${decision.retryAfterSeconds} s`, undefined, [], {
      'Retry-After': String(decision.retryAfterSeconds),
    });
  }
}
