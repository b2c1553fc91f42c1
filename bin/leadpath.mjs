#!/usr/bin/env node
// Entry of `npx leadpath`: registers tsx so the CLI runs from TypeScript
// sources (the same modules the app and the tests use), then hands over.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv);
