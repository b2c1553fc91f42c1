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
    // Comma-separated page names (overview,channels,…): time only those.
    only: { type: 'string' },
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
  ['funnel', '/funnel'],
  ['funnel', '/funnel?range=this_year&by=month'],
  ['funnel', '/funnel?range=last_90&by=channel&model=linear'],
  ['funnel', '/funnel?range=last_year&by=region&channel=paid_search'],
  ['managers', '/managers'],
  ['managers', '/managers?range=this_year&cohort=event'],
  ['managers', '/managers?range=last_90&manager=Olena%20Kovalenko'],
  ['calls', '/calls'],
  ['calls', '/calls?range=this_year&by=campaign'],
  ['calls', '/calls?range=last_year&by=manager&region=Kyiv'],
  ['attribution', '/attribution'],
  ['attribution', '/attribution?range=this_year'],
  ['attribution', '/attribution?range=last_year&region=Kyiv'],
  ['leads', '/leads'],
  ['leads', '/leads?range=this_year&sort=amount&dir=desc&page=3'],
  ['leads', '/leads?range=last_year&channel=paid_search&q=olena&outcome=won'],
  // {lead}: the newest lead of the default list, read from its first link.
  ['leads', '/leads/{lead}'],
  ['data', '/data'],
  ['data', '/data/coverage?range=this_year'],
  ['data', '/data/coverage?range=last_90&reason=only_direct'],
  ['data', '/data/rules'],
  ['data', '/data/settings'],
  ['data', '/data/presets'],
  ['forecast', '/forecast'],
  ['forecast', '/forecast?slice=paid_search&by=day&horizon=60'],
  ['forecast', '/forecast?by=month&horizon=184&target=revenue&value=900000'],
  ['plans', '/plans'],
  ['plans', '/plans?by=channel'],
  ['plans', '/plans?by=manager'],
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

async function newestLead(): Promise<string> {
  const html = await (await fetch(`${base}/leads`)).text();
  const id = new RegExp(`href="/w/${args.workspace}/leads/([^"?]+)`).exec(html)?.[1];
  if (id === undefined) throw new Error('no lead in the default list to time');
  return id;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

let overBudget = 0;
console.log(`server time per page view, ${runs} runs each (ms)`);
console.log(['page', 'median', 'p95', 'max', 'view'].join('\t'));
const only = args.only ? new Set(args.only.split(',')) : null;
for (const [page, path] of VIEWS.filter(([p]) => !only || only.has(p))) {
  const url = `${base}${path.includes('{lead}') ? path.replace('{lead}', await newestLead()) : path}`;
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
