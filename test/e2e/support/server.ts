import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../../db/paths';

// Starts the app the way a user does (`leadpath serve`) in a child process,
// with its own LEADPATH_HOME and so its own embedded PostgreSQL. Builds
// nothing: run `npm run build` first (the test:e2e script does).

export interface RunningApp {
  /** http://127.0.0.1:<port> */
  url: string;
  /** The LEADPATH_HOME of this server (its database lives in <home>/pg). */
  home: string;
  /** Everything the server printed so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;
const cliEntry = path.join(projectRoot, 'bin', 'leadpath.mjs');

/**
 * A server on an empty database: no users, no workspaces (the setup page's
 * state). `offerDemo` lets its setup page offer the demo workspace; by
 * default it does not (`serve --no-demo`): test files seed their own data.
 */
export async function startServer(opts: { offerDemo?: boolean } = {}): Promise<RunningApp> {
  if (!existsSync(path.join(projectRoot, 'build', 'server', 'index.js'))) {
    throw new Error('no production build: run `npm run build` before the e2e tests');
  }
  const home = mkdtempSync(path.join(os.tmpdir(), 'leadpath-e2e-'));
  const port = await freePort();
  // NODE_ENV: vitest sets 'test', which would put React in development mode.
  const env: NodeJS.ProcessEnv = { ...process.env, LEADPATH_HOME: home, NODE_ENV: 'production' };
  // The server must use the embedded database under `home`, never a shared one.
  delete env.DATABASE_URL;

  const args = [cliEntry, 'serve', '--port', String(port), ...(opts.offerDemo ? [] : ['--no-demo'])];
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const url = `http://127.0.0.1:${port}`;
  const app: RunningApp = { url, home, output: () => output, stop: () => stopServer(child, home) };
  try {
    await waitUntilAnswering(url, child);
  } catch (error) {
    await app.stop();
    throw new Error(`${(error as Error).message}\n--- server output ---\n${output}`);
  }
  return app;
}

async function waitUntilAnswering(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before answering`);
    }
    try {
      await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`the server did not answer on ${url} within ${START_TIMEOUT_MS / 1000} s`);
}

async function stopServer(child: ChildProcess, home: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGINT');
    const inTime = await Promise.race([exited.then(() => true), sleep(STOP_TIMEOUT_MS).then(() => false)]);
    if (!inTime) {
      child.kill('SIGKILL');
      await exited;
    }
  }
  // The server stops its PostgreSQL on SIGINT; if it could not, stop it here
  // so no postmaster outlives the test run.
  await stopPostgres(path.join(home, 'pg'));
  rmSync(home, { recursive: true, force: true });
}

async function stopPostgres(pgDir: string): Promise<void> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT'); // PostgreSQL's "fast" shutdown
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
