import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import {
  unstable_composeUploadHandlers as composeUploadHandlers,
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
  redirect,
  type AppLoadContext,
  type UploadHandler,
} from '@remix-run/node';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { ImportFormatError, runImport, type ImportResult, type RowError } from '../../db/import/run-import';
import type { Workspace } from '../../db/schema';
import { requireWorkspaceAccess } from '../auth/guard.server';
import { IMPORT_KINDS } from '../import/formats';

// Uploads from the Data page: the multipart body is streamed to a temporary
// file (never held in memory, at most MAX_UPLOAD_BYTES), then imported by the
// one import path (db/import/run-import.ts) in the background. The browser
// polls the job's progress (rows read, from runImport's onProgress) until it
// has a result; the job list lives in this process's memory, keyed by an
// unguessable token and scoped to its workspace.

/** 2 GiB: the largest file the web form takes (the CLI has no limit). */
export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
/** Room for the multipart framing and the small text fields around the file. */
const FRAMING_BYTES = 64 * 1024;
/** Finished jobs are kept this long for the page that polls them, then forgotten. */
const KEEP_FINISHED_MS = 60 * 60 * 1000;
const HEAD_BYTES = 64 * 1024;

export const UPLOAD_KINDS = ['auto', ...IMPORT_KINDS] as const;
export type UploadKind = (typeof UPLOAD_KINDS)[number];

export const uploadFieldsSchema = z.object({
  kind: z.enum(UPLOAD_KINDS).catch('auto'),
  skipInvalid: z.preprocess((v) => v === 'on' || v === 'true', z.boolean()),
});

export class UploadError extends Error {
  constructor(
    readonly status: number,
    /** A message key of the Data page. */
    readonly code: 'tooLarge' | 'noFile' | 'badForm',
  ) {
    super(code);
  }
}

/** What the page shows of a finished import (runImport's result, errors capped as it caps them). */
export interface UploadResult {
  importId: number;
  kind: string;
  file: string;
  status: 'succeeded' | 'failed';
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: RowError[];
  errorCount: number;
  warnings: string[];
  durationMs: number;
  preset: string | null;
  format: string | null;
  companions: Omit<UploadResult, 'companions'>[];
}

export interface UploadStatus {
  token: string;
  state: 'running' | 'done' | 'failed';
  fileName: string;
  kind: UploadKind;
  bytes: number;
  rowsRead: number;
  /** From the average line length of the file's first 64 KB; null for an empty file. */
  estimatedRows: number | null;
  phase: 'reading' | 'writing' | 'finished';
  result: UploadResult | null;
  /** Why the file could not be read at all (an unrecognised header); null with state 'failed' and no result: a server error. */
  error: string | null;
  /** The import history row of a failed attempt, when one was written. */
  importId: number | null;
}

interface Job {
  workspaceId: number;
  status: UploadStatus;
  done: Promise<void>;
  finishedAt: number | null;
}

const jobs = new Map<string, Job>();

function forgetOldJobs(now = Date.now()): void {
  for (const [token, job] of jobs) if (job.finishedAt !== null && now - job.finishedAt > KEEP_FINISHED_MS) jobs.delete(token);
}

export function getUploadStatus(workspaceId: number, token: string): UploadStatus | null {
  forgetOldJobs();
  const job = jobs.get(token);
  return job && job.workspaceId === workspaceId ? job.status : null;
}

/** Resolves when the job has finished (for the form posted without JavaScript). */
export async function waitForUpload(token: string): Promise<UploadStatus | null> {
  const job = jobs.get(token);
  if (!job) return null;
  await job.done;
  return job.status;
}

/** The original name, without folders or characters a file system may refuse. */
export function safeFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const cleaned = base.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '').trim().slice(0, 200);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'upload.csv' : cleaned;
}

/**
 * Streams the file part to `dir/<original name>`, waiting for the disk when
 * it is slower than the network (backpressure), and refusing it past the limit.
 */
function fileToDisk(dir: string, limit: number, saved: { path: string | null; bytes: number }): UploadHandler {
  return async ({ name, filename, data }) => {
    if (name !== 'file' || filename === undefined) return undefined;
    const file = path.join(dir, safeFileName(filename));
    const out = createWriteStream(file);
    let bytes = 0;
    try {
      for await (const chunk of data) {
        bytes += chunk.byteLength;
        if (bytes > limit) throw new UploadError(413, 'tooLarge');
        if (!out.write(chunk)) await once(out, 'drain');
      }
      out.end();
      await finished(out);
    } catch (error) {
      out.destroy();
      throw error;
    }
    saved.path = file;
    saved.bytes = bytes;
    return filename;
  };
}

/**
 * Reads the multipart request (fields `kind`, `skipInvalid`, `file`) with
 * the file on disk, and starts its import. Throws UploadError for a request
 * that cannot be imported; the temporary folder is removed in every case.
 */
export async function startUpload(db: Db, ws: Workspace, request: Request, actor: string, limit = MAX_UPLOAD_BYTES): Promise<UploadStatus> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit + FRAMING_BYTES) throw new UploadError(413, 'tooLarge');

  await mkdir(path.join(os.tmpdir(), 'leadpath-uploads'), { recursive: true });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'leadpath-uploads', 'upload-'));
  const saved = { path: null as string | null, bytes: 0 };
  let form: FormData;
  try {
    form = await parseMultipartFormData(
      request,
      composeUploadHandlers(fileToDisk(dir, limit, saved), createMemoryUploadHandler({ maxPartSize: 4096 })),
    );
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    if (error instanceof UploadError) throw error;
    throw new UploadError(400, 'badForm');
  }
  if (!saved.path || saved.bytes === 0) {
    await rm(dir, { recursive: true, force: true });
    throw new UploadError(400, 'noFile');
  }
  const fields = uploadFieldsSchema.parse({ kind: form.get('kind') ?? undefined, skipInvalid: form.get('skipInvalid') ?? undefined });
  const file = saved.path;

  const status: UploadStatus = {
    token: randomUUID(),
    state: 'running',
    fileName: path.basename(file),
    kind: fields.kind,
    bytes: saved.bytes,
    rowsRead: 0,
    estimatedRows: await estimateRows(file, saved.bytes).catch(() => null),
    phase: 'reading',
    result: null,
    error: null,
    importId: null,
  };
  const job: Job = { workspaceId: ws.id, status, done: Promise.resolve(), finishedAt: null };
  job.done = runImport(db, {
    workspace: ws,
    kind: fields.kind,
    file,
    skipInvalid: fields.skipInvalid,
    actor,
    onProgress: (p) => {
      status.rowsRead = p.rowsRead;
      status.phase = p.phase;
    },
  })
    .then((result) => {
      status.result = toUploadResult(result);
      status.rowsRead = result.rowsRead;
      status.importId = result.importId;
      status.state = result.status === 'succeeded' ? 'done' : 'failed';
    })
    .catch((error: unknown) => {
      status.state = 'failed';
      if (error instanceof ImportFormatError) {
        status.error = error.message;
        status.importId = error.importId;
      } else {
        // Internals stay in the server log; the page says the server failed.
        console.error(`[upload] ${status.fileName}:`, error);
      }
    })
    .finally(async () => {
      status.phase = 'finished';
      job.finishedAt = Date.now();
      await rm(dir, { recursive: true, force: true });
    });
  forgetOldJobs();
  jobs.set(status.token, job);
  return status;
}

function toUploadResult(r: ImportResult): UploadResult {
  const { phases: _phases, companions, ...rest } = r;
  return { ...rest, companions: companions.map((c) => toUploadResult(c)) };
}

/** Data rows a file holds, judged from the average line length of its head (exact for a small file). */
async function estimateRows(file: string, bytes: number): Promise<number | null> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(Math.min(HEAD_BYTES, (await stat(file)).size));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    let lines = 0;
    for (let i = 0; i < bytesRead; i++) if (head[i] === 0x0a) lines++;
    if (bytesRead === bytes) return Math.max(0, lines + (head[bytesRead - 1] === 0x0a ? 0 : 1) - 1);
    if (lines === 0) return null;
    return Math.max(0, Math.round(bytes / (bytesRead / lines)) - 1);
  } finally {
    await handle.close();
  }
}

// ---------------------------------------------------------------- the resource routes' handlers

/** Pages an upload form may come back to when JavaScript is off. */
const RETURN_PAGES = ['data', 'plans'] as const;

/**
 * POST /w/:workspace/data/upload (multipart). From the page's script
 * (Accept: application/json): 202 with the job's status, which the script
 * then polls. From a plain form: waits for the import and redirects to the
 * page named by ?back=, which shows the result (?upload=TOKEN).
 */
export async function uploadAction(context: AppLoadContext, slug: string | undefined, request: Request): Promise<Response> {
  const access = await requireWorkspaceAccess(request, context, slug, 'data:import');
  const ws = access.workspace;
  const wantsJson = (request.headers.get('accept') ?? '').includes('application/json');
  const back = z.enum(RETURN_PAGES).catch('data').parse(new URL(request.url).searchParams.get('back') ?? undefined);
  const page = `/w/${ws.slug}/${back}`;
  try {
    const status = await startUpload(context.db, ws, request, access.userId === null ? 'web' : `user:${access.userId}`);
    if (wantsJson) return Response.json(status, { status: 202, headers: { 'Cache-Control': 'no-store' } });
    await waitForUpload(status.token);
    return redirect(`${page}?upload=${status.token}`);
  } catch (error) {
    if (!(error instanceof UploadError)) throw error;
    if (wantsJson) return Response.json({ error: error.code }, { status: error.status });
    return redirect(`${page}?uploadError=${error.code}`);
  }
}

/** GET /w/:workspace/data/progress/:token: the job's status, for polling. */
export async function uploadProgress(context: AppLoadContext, slug: string | undefined, request: Request, token: string | undefined): Promise<Response> {
  const access = await requireWorkspaceAccess(request, context, slug, 'data:import');
  const status = token ? getUploadStatus(access.workspace.id, token) : null;
  if (!status) return Response.json({ error: 'unknown' }, { status: 404, headers: { 'Cache-Control': 'no-store' } });
  return Response.json(status, { headers: { 'Cache-Control': 'no-store' } });
}
