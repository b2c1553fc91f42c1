import type { z } from 'zod';

// Every /api/v1 error is JSON `{ error: { code, message, field? } }`; `field`
// is the path into the request body (`batch[3].properties.amount`) and
// `details` lists further problems of the same request (the first 100).

export interface ApiProblem {
  field?: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details: ApiProblem[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const MAX_DETAILS = 100;

/** `batch[3].properties.amount` from a zod path under a prefix. */
export function fieldPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** A 400 naming every problem zod found; the first one is the headline. */
export function validationError(error: z.ZodError, prefix = ''): ApiError {
  const problems = error.issues.slice(0, MAX_DETAILS).map((i) => ({ field: fieldPath(prefix, i.path), message: i.message }));
  const first = problems[0] ?? { field: prefix, message: 'invalid payload' };
  return new ApiError(400, 'invalid_payload', `${first.field || 'body'}: ${first.message}`, first.field || undefined, problems);
}

export function errorResponse(error: ApiError, headers: Record<string, string> = {}): Response {
  const body: { error: { code: string; message: string; field?: string; details?: ApiProblem[] } } = {
    error: { code: error.code, message: error.message },
  };
  if (error.field) body.error.field = error.field;
  if (error.details.length > 1) body.error.details = error.details;
  return Response.json(body, { status: error.status, headers: { ...headers, ...error.headers } });
}
