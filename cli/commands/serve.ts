import type { Command } from 'commander';
import { z } from 'zod';
import { connect } from '../../db/connect';
import { countUsers } from '../../app/auth/accounts.server';
import { CliError } from '../context';
import { formatZodError } from '../format';

const serveOptionsSchema = z.object({
  port: z.coerce.number().int().min(1).max(65535),
  host: z.string().min(1),
  dev: z.boolean().optional(),
  demo: z.boolean(),
});

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the web app (run "npm run build" first, or use --dev); on an empty database the setup page creates the owner account and offers the demo workspace')
    .option('--port <port>', 'HTTP port', process.env.PORT ?? '3000')
    .option('--host <host>', 'address to listen on', process.env.HOST ?? '127.0.0.1')
    .option('--dev', 'development mode: Vite middleware with hot reload')
    .option('--no-demo', 'do not offer the demo workspace on the setup page')
    .action(async (o: Record<string, unknown>) => {
      const parsed = serveOptionsSchema.safeParse(o);
      if (!parsed.success) throw new CliError(formatZodError(parsed.error));
      const opts = parsed.data;
      const started = Date.now();
      const conn = await connect();
      console.log(conn.embedded ? `embedded PostgreSQL on port ${conn.embedded.port}${conn.embedded.owned ? '' : ' (already running)'}` : 'using DATABASE_URL');
      try {
        const { serve } = await import('../../server/serve');
        const server = await serve({ db: conn.db, port: opts.port, host: opts.host, dev: opts.dev ?? false, offerDemo: opts.demo, log: (l) => console.log(l) });
        console.log(`Leadpath is running at ${server.url} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s; Ctrl-C to stop)`);
        // No default account anywhere: the first visitor of the setup page creates the owner.
        if ((await countUsers(conn.db)) === 0) console.log(`no accounts yet: open ${server.url}/setup to create the owner account`);
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        console.log('stopping…');
        await server.close();
      } finally {
        await conn.close();
      }
    });
}
