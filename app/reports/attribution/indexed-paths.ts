/**
 * Aggregated paths turned into channel indices once, so that the Markov and
 * Shapley computations (and each bootstrap resample) run on typed arrays.
 */
import { compareText, type AggregatedPath } from './types';

export interface IndexedPaths {
  /** Channel names, sorted; channel i below means channels[i]. */
  readonly channels: readonly string[];
  /** Each path as given (repeats kept). */
  readonly sequences: readonly Int32Array[];
  /** Each path with consecutive repeats collapsed: the Markov states visited. */
  readonly collapsed: readonly Int32Array[];
  /** The distinct channels of each path: its Shapley coalition. */
  readonly channelSets: readonly Int32Array[];
  readonly conversions: Float64Array;
  readonly nulls: Float64Array;
  readonly values: Float64Array;
}

function assertCount(what: string, n: number): void {
  if (!(n >= 0) || !Number.isFinite(n)) throw new RangeError(`${what} must be a finite number >= 0, got ${n}`);
}

export function computeIndexedPaths(paths: readonly AggregatedPath[]): IndexedPaths {
  const channels = [...new Set(paths.flatMap((p) => p.path))].sort(compareText);
  const indexOf = new Map(channels.map((channel, i) => [channel, i]));
  const sequences: Int32Array[] = [];
  const collapsed: Int32Array[] = [];
  const channelSets: Int32Array[] = [];
  const conversions = new Float64Array(paths.length);
  const nulls = new Float64Array(paths.length);
  const values = new Float64Array(paths.length);
  paths.forEach((p, i) => {
    // The caller gives a touchless journey one touch, so an empty path is a bug upstream.
    if (p.path.length === 0) throw new RangeError('A path needs at least one channel');
    assertCount('conversions', p.conversions);
    assertCount('nulls', p.nulls);
    if (!Number.isFinite(p.value)) throw new RangeError(`value must be finite, got ${p.value}`);
    const sequence = Int32Array.from(p.path, (channel) => indexOf.get(channel) ?? -1);
    sequences.push(sequence);
    collapsed.push(sequence.filter((c, j) => j === 0 || sequence[j - 1] !== c));
    channelSets.push(Int32Array.from(new Set(sequence)));
    conversions[i] = p.conversions;
    nulls[i] = p.nulls;
    values[i] = p.value;
  });
  return { channels, sequences, collapsed, channelSets, conversions, nulls, values };
}
