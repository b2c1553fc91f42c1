import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { projectRoot } from '../../db/paths';
import { nowMs } from './stats';

// App start: `leadpath serve` on the initialised bench database, from the
// spawn until the app answers HTTP. On the embedded database the bench's own
// server is stopped first, so the time includes starting PostgreSQL, as when
// a user runs `npm start` on an existing .leadpath/.

const serverBuild = path.join(projectRoot, 'build', 'server', 'index.js');
const TIMEOUT_MS = 120_000;

/** `leadpath serve` needs the production build: made once when missing (a fresh clone). */
export function ensureBuild(log: (l: string) => void): void {
  if (existsSync(serverBuild)) return;
  log('app start: no production build, running `npm run build` first…');
  const r = spawnSync('npm', ['run', 'build'], { cwd: projectRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('npm run build failed');
}

export interface AppStart {
  /** Spawn → the first HTTP answer. */
  ms: number;
  /** What serve itself prints as "ready in": from its command starting (after Node and tsx loaded) to listening. */
  readyMs: number | null;
}

export async function timeAppStart(env: NodeJS.ProcessEnv): Promise<AppStart> {
  const port = await freePort();
  const started = nowMs();
  const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'leadpath.mjs'), 'serve', '--port', String(port), '--no-demo'], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  let exitCode: number | null | undefined;
  void exited.then((c) => (exitCode = c));
  try {
    for (;;) {
      if (exitCode !== undefined) throw new Error(`leadpath serve exited ${exitCode} before answering:\n${output}`);
      if (nowMs() - started > TIMEOUT_MS) throw new Error(`leadpath serve did not answer within ${TIMEOUT_MS / 1000} s:\n${output}`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/`, { redirect: 'manual' });
        await response.arrayBuffer();
        const ms = nowMs() - started;
        const ready = /ready in ([\d.]+) s/.exec(output)?.[1];
        return { ms, readyMs: ready === undefined ? null : Math.round(Number(ready) * 1000) };
      } catch {
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  } finally {
    // SIGTERM: serve closes the server and stops the embedded PostgreSQL it started.
    if (exitCode === undefined) child.kill('SIGTERM');
    await exited;
  }
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
