import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { AppLoadContext } from '@remix-run/node';
import { handleApiRequest, handleApiSplat, handleReportRequest, type ApiEndpoint } from '../../../app/api/handler.server';
import type { Db } from '../../../db/client';

// A real HTTP server in front of the handler the /api/v1 resource routes call
// (app/routes/api.v1.*.tsx are one-line wrappers of it), so the real Segment
// client can talk to it without a production build. The body streams through
// as it does under express, so the size limit is enforced while reading.

const ENDPOINTS: readonly string[] = ['batch', 'track', 'page', 'identify', 'calls', 'leads'];

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

export async function startApiServer(db: Db): Promise<ApiServer> {
  const context = { db, cspNonce: '' } as AppLoadContext;
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const request = new Request(url, {
        method: req.method,
        headers,
        body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
        duplex: 'half',
      } as RequestInit);
      const match = /^\/api\/v1\/([a-z]+)$/.exec(url.pathname);
      const report = /^\/api\/v1\/reports\/([^/]+)$/.exec(url.pathname);
      const response = report
        ? await handleReportRequest(request, context, decodeURIComponent(report[1]!))
        : match && ENDPOINTS.includes(match[1]!)
          ? await handleApiRequest(request, context, match[1] as ApiEndpoint)
          : await handleApiSplat(request, context, url.pathname.replace(/^\/api\/v1\//, ''));
      const headers_ = Object.fromEntries(response.headers);
      // A refused body is not read to its end: the connection is not reused.
      if (!req.readableEnded) headers_.connection = 'close';
      res.writeHead(response.status, headers_);
      res.end(Buffer.from(await response.arrayBuffer()));
      // The rest of a refused body is discarded unread (as express does), never buffered.
      if (!req.readableEnded) req.resume();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
