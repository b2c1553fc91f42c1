// Runs a Node entry script in this process, then records this process's peak
// RSS (getrusage ru_maxrss, in KiB on Linux) to LEADPATH_BENCH_RSS_FILE.
// The bench wraps the real CLI in it: `node bench/lib/rss-child.mjs
// bin/leadpath.mjs import …`. Works on a bare Debian (no /usr/bin/time), and
// after the entry finished: bin/leadpath.mjs drops every 'exit' listener.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node bench/lib/rss-child.mjs <script> [args…]');
  process.exit(2);
}
const script = path.resolve(entry);
process.argv = [process.argv[0], script, ...rest];
await import(pathToFileURL(script).href);
const file = process.env.LEADPATH_BENCH_RSS_FILE;
if (file) writeFileSync(file, String(process.resourceUsage().maxRSS));
