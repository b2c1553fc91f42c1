// Server time of the dashboard pages, as the server reports it in its
// Server-Timing header (request in → first byte out: every loader plus the
// render of the page shell). Run against a running app, e.g. the demo:
//
//   npm start                                   # or: node bin/leadpath.mjs serve
//   npx tsx bench/page-times.ts --url http://127.0.0.1:3000 --workspace demo --runs 20
//
// Prints one line per view: median, p95 and max over the runs, after two
// warm-up requests. Exits non-zero when a median is over --budget (ms).

import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3000' },
    workspace: { type: 'string', default: 'demo' },
    runs: { type: 'string', default: '20' },
    budget: { type: 'string', default: '300' },
  },
});

const runs = Number(args.runs);
const budget = Number(args.budget);
const base = `${args.url}/w/${args.workspace}`;

/** Each page with the views a reader is likely to open. */
const VIEWS: [string, string][] = [
  ['overview', ''],
  ['overview', '?range=last_90&compare=last_year'],
  ['overview', '?range=this_year'],
  ['overview', '?range=last_year&model=linear&channel=paid_search'],
  ['channels', '/channels'],
  ['channels', '/channels?range=this_year'],
  ['channels', '/channels?range=last_year&by=ad'],
  ['channels', '/channels?by=campaign&channel=paid_search&source=google&medium=cpc'],
  ['channels', '/channels?range=last_90&by=source_medium&channel=paid_social&model=position&cohort=event'],
];

async function serverTime(url: string): Promise<number> {
  const response = await fetch(url);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status}`);
  const header = response.headers.get('server-timing') ?? '';
  const dur = /dur=([\d.]+)/.exec(header)?.[1];
  if (dur === undefined) throw new Error(`${url}: no Server-Timing header (is this a Leadpath server?)`);
  return Number(dur);
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

let overBudget = 0;
console.log(`server time per page view, ${runs} runs each (ms)`);
console.log(['page', 'median', 'p95', 'max', 'view'].join('\t'));
for (const [page, path] of VIEWS) {
  const url = `${base}${path}`;
  for (let i = 0; i < 2; i++) await serverTime(url);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await serverTime(url));
  times.sort((a, b) => a - b);
  const median = quantile(times, 0.5);
  if (median > budget) overBudget++;
  console.log([page, median.toFixed(1), quantile(times, 0.95).toFixed(1), times.at(-1)!.toFixed(1), path || '/'].join('\t'));
}
if (overBudget > 0) {
  console.error(`${overBudget} view(s) over the ${budget} ms budget`);
  process.exitCode = 1;
}
