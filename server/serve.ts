import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import express from 'express';
import type { ViteDevServer } from 'vite';
import type { LeadpathLoadContext } from '../app/context';
import type { Db } from '../db/client';
import { projectRoot } from '../db/paths';

export interface ServeOptions {
  /** Owned by the caller: serve() never closes it. */
  db: Db;
  /** 0 picks a free port; the chosen one is in the returned url. */
  port: number;
  /** Default 127.0.0.1, so a laptop does not publish its data to the network. */
  host?: string;
  /** Vite in middleware mode with HMR instead of the production build. */
  dev: boolean;
  /** Whether the setup page offers the demo workspace (default true; `serve --no-demo` turns it off). */
  offerDemo?: boolean;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  /** Stops accepting connections, lets in-flight requests finish (up to 5 s). */
  close(): Promise<void>;
}

const buildDir = path.join(projectRoot, 'build');
const serverBuildPath = path.join(buildDir, 'server', 'index.js');
const clientBuildDir = path.join(buildDir, 'client');
const CLOSE_GRACE_MS = 5_000;

export async function serve(opts: ServeOptions): Promise<RunningServer> {
  const log = opts.log ?? (() => {});
  const host = opts.host ?? '127.0.0.1';
  // As remix-serve does: React and Remix pick their production code paths
  // from NODE_ENV, read when the build is first imported below.
  if (!opts.dev) process.env.NODE_ENV ??= 'production';

  const app = express();
  app.disable('x-powered-by');
  // Behind a TLS-terminating proxy (LEADPATH_TRUST_PROXY=1) the request URL
  // Remix sees says https, so session cookies get Secure. One hop only: the
  // client address is what that proxy saw, not a spoofable X-Forwarded-For entry.
  if (trustProxy()) app.set('trust proxy', 1);
  const httpServer = http.createServer(app);
  app.use(securityHeaders(opts.dev));
  app.use(serverTiming());
  app.use(sameOriginMutations());

  let vite: ViteDevServer | undefined;
  let build: ServerBuild | (() => Promise<ServerBuild>);
  if (opts.dev) {
    // Imported lazily: vite is a dev dependency, absent from production installs.
    const { createServer } = await import('vite');
    const devServer = await createServer({
      root: projectRoot,
      // HMR shares our HTTP server, so two dev servers never fight over a port.
      server: { middlewareMode: true, hmr: { server: httpServer } },
    });
    vite = devServer;
    app.use(devServer.middlewares);
    build = () => devServer.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>;
  } else {
    build = await loadProductionBuild();
    // Vite fingerprints everything under /assets, so it may be cached forever.
    app.use('/assets', express.static(path.join(clientBuildDir, 'assets'), { immutable: true, maxAge: '1y' }));
    app.use(express.static(clientBuildDir, { maxAge: '1h' }));
  }

  // Pages and data are per user: no shared or browser cache may keep them.
  // (A route that sets its own Cache-Control overrides this.)
  app.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'private, no-store');
    next();
  });
  app.all(
    '*',
    createRequestHandler({
      build,
      mode: opts.dev ? 'development' : 'production',
      getLoadContext: (req, res): LeadpathLoadContext => ({
        db: opts.db,
        cspNonce: String(res.locals.cspNonce),
        offerDemo: opts.offerDemo ?? true,
        clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      }),
    }),
  );

  try {
    await listen(httpServer, opts.port, host);
  } catch (error) {
    await vite?.close();
    throw error;
  }
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${displayHost(host)}:${port}`;
  log(opts.dev ? 'serving app/ through Vite (hot reload)' : `serving the production build in ${path.relative(process.cwd(), buildDir) || buildDir}`);

  let closing: Promise<void> | undefined;
  return {
    url,
    close: () => (closing ??= closeServer(httpServer, vite)),
  };
}

async function loadProductionBuild(): Promise<ServerBuild> {
  if (!existsSync(serverBuildPath)) {
    const relative = path.relative(process.cwd(), serverBuildPath) || serverBuildPath;
    throw new Error(`no production build at ${relative}: run \`npm run build\` first, or serve with --dev`);
  }
  return (await import(pathToFileURL(serverBuildPath).href)) as ServerBuild;
}

function trustProxy(): boolean {
  return process.env.LEADPATH_TRUST_PROXY === '1';
}

function securityHeaders(dev: boolean): express.RequestHandler {
  return (req, res, next) => {
    const nonce = randomBytes(16).toString('base64');
    res.locals.cspNonce = nonce;
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(nonce, dev));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    // Only over HTTPS: on plain http the header is ignored, and it must not pin localhost.
    if (req.protocol === 'https') res.setHeader('Strict-Transport-Security', 'max-age=15552000');
    next();
  };
}

// The app uses none of these browser features; nothing injected may either.
const PERMISSIONS_POLICY = ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'serial', 'bluetooth'].map((f) => `${f}=()`).join(', ');

const MUTATING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * CSRF defence: a mutating request outside /api/ (which authenticates with
 * bearer tokens, not cookies) must say it comes from this site — its Origin,
 * or failing that its Referer, must name the host it was sent to. Browsers
 * always send Origin on cross-site POSTs and a page cannot forge it.
 * Host only, not scheme: behind a TLS proxy without LEADPATH_TRUST_PROXY the
 * server sees http while the browser says https.
 */
export function sameOriginMutations(): express.RequestHandler {
  return (req, res, next) => {
    if (!MUTATING_METHODS.has(req.method) || req.path.startsWith('/api/')) return next();
    const expected = (trustProxy() ? req.get('x-forwarded-host')?.split(',')[0]?.trim() : undefined) ?? req.get('host');
    const claimed = hostOf(req.get('origin')) ?? (req.get('origin') === undefined ? hostOf(req.get('referer')) : undefined);
    if (expected && claimed && claimed.toLowerCase() === expected.toLowerCase()) return next();
    res
      .status(403)
      .type('text/plain')
      .send('Forbidden: this request did not come from a Leadpath page (its Origin or Referer header does not match this site).');
  };
}

function hostOf(url: string | undefined): string | undefined {
  if (!url || url === 'null') return undefined;
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}

/**
 * `Server-Timing: app;dur=<ms>` on every response: the time from the request
 * to the first byte of the response (for a page: its loaders plus rendering
 * the shell). Browsers show it in their network panel; bench/page-times.ts
 * and the e2e tests read it.
 */
function serverTiming(): express.RequestHandler {
  return (_req, res, next) => {
    const started = process.hrtime.bigint();
    const writeHead = res.writeHead;
    res.writeHead = function (this: typeof res, ...args: unknown[]) {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (!res.headersSent) res.setHeader('Server-Timing', `app;dur=${ms.toFixed(1)}`);
      return (writeHead as (...a: unknown[]) => typeof res).apply(this, args);
    } as typeof res.writeHead;
    next();
  };
}

export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    // Remix's inline scripts (route manifest, single-fetch stream) carry the nonce.
    'script-src': ["'self'", `'nonce-${nonce}'`],
    // Inline styles stay allowed: charts set style attributes, and Vite injects
    // <style> tags in dev. Scripts are where a nonce buys real protection.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    // Vite's HMR websocket in dev.
    'connect-src': dev ? ["'self'", 'ws:'] : ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

async function closeServer(server: http.Server, vite: ViteDevServer | undefined): Promise<void> {
  // Vite first: it ends the HMR websockets, which would otherwise keep the
  // HTTP server open.
  await vite?.close();
  const closed = new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
  });
  server.closeIdleConnections();
  const cutoff = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
  cutoff.unref();
  try {
    await closed;
  } finally {
    clearTimeout(cutoff);
  }
}
