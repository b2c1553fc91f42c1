import { parseArgs } from 'node:util';
import { generateSeed, type Scale } from './generate';

// Manual entry point: npx tsx seeds/run.ts --scale demo --seed 1 --end 2026-03-31 --out /tmp/leadpath-demo
// (the app's `leadpath demo` command calls generateSeed directly).

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: 'demo' },
    seed: { type: 'string', default: '1' },
    end: { type: 'string' },
    out: { type: 'string' },
    tz: { type: 'string' },
  },
});
if (!values.end || !values.out) {
  console.error('usage: tsx seeds/run.ts --scale small|demo|large --seed N --end YYYY-MM-DD --out DIR [--tz Europe/Kyiv]');
  process.exit(2);
}
const started = performance.now();
const summary = await generateSeed({
  scale: values.scale as Scale,
  seed: Number(values.seed),
  endDate: values.end,
  outDir: values.out,
  timeZone: values.tz,
});
console.log(JSON.stringify({ ...summary, ms: Math.round(performance.now() - started) }, null, 2));
