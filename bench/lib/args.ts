import { parseArgs } from 'node:util';
import { z } from 'zod';

// Flags of `npm run bench`, validated in one zod schema.

export const SECTIONS = ['imports', 'reports', 'duckdb', 'start'] as const;
export type Section = (typeof SECTIONS)[number];

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const count = (max: number) => z.coerce.number().int('a whole number').min(1).max(max);

const benchArgsSchema = z.object({
  scale: z.enum(['small', 'demo', 'large']),
  seed: z.coerce.number().int().min(0).max(2 ** 31),
  end: day,
  seedDir: z.string().min(1).optional(),
  runs: count(1000),
  duckdbRuns: count(1000),
  only: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : [...SECTIONS]))
    .pipe(z.array(z.enum(SECTIONS, `--only: expected some of ${SECTIONS.join(', ')}, comma-separated`)).min(1)),
  keepDb: z.boolean(),
  out: z.string().min(1),
  region: z.string().min(1),
  channel: z.string().min(1),
});

export type BenchArgs = z.output<typeof benchArgsSchema>;

export const USAGE = `npm run bench -- [flags]

  --scale small|demo|large   seed to generate when --seed-dir is not given (default large)
  --seed N                   seed of the generator (default 1)
  --end YYYY-MM-DD           last day of the generated data (default 2026-10-31)
  --seed-dir DIR             use the canonical CSVs in DIR instead of generating them
  --runs N                   timed runs per report and page, after one warm-up (default 20)
  --duckdb-runs N            timed runs of each DuckDB/ours comparison (default 3)
  --only LIST                some of ${SECTIONS.join(',')} (default all; data is always imported)
  --keep-db                  keep the bench database (its folder or name is printed)
  --out DIR                  where results.json and results.md go (default bench)
  --channel C, --region R    the filters of the "filters on" runs (default paid_search, Kyiv)`;

export function parseBenchArgs(argv: string[]): BenchArgs | { help: true } {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: 'string', default: 'large' },
      seed: { type: 'string', default: '1' },
      end: { type: 'string', default: '2026-10-31' },
      'seed-dir': { type: 'string' },
      runs: { type: 'string', default: '20' },
      'duckdb-runs': { type: 'string', default: '3' },
      only: { type: 'string' },
      'keep-db': { type: 'boolean', default: false },
      out: { type: 'string', default: 'bench' },
      region: { type: 'string', default: 'Kyiv' },
      channel: { type: 'string', default: 'paid_search' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { help: true };
  const parsed = benchArgsSchema.safeParse({
    scale: values.scale,
    seed: values.seed,
    end: values.end,
    seedDir: values['seed-dir'],
    runs: values.runs,
    duckdbRuns: values['duckdb-runs'],
    only: values.only,
    keepDb: values['keep-db'],
    out: values.out,
    region: values.region,
    channel: values.channel,
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `--${String(i.path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${i.message}`);
    throw new Error(`bad flags:\n  ${lines.join('\n  ')}\n\n${USAGE}`);
  }
  return parsed.data;
}
