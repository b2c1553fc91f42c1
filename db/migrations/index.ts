import type { Migration } from 'kysely/migration';
import * as initial from './2026-11-23-0001-initial';
import * as analytics from './2026-11-23-0002-analytics';
import * as conversionSettings from './2026-11-23-0003-conversion-settings';
import * as visitorPaths from './2026-11-23-0004-visitor-paths';
import * as reportSpeed from './2026-11-23-0005-report-speed';
import * as accounts from './2026-11-23-0006-accounts';
import * as api from './2026-11-23-0007-api';
import * as reportSpeedA from './2026-11-23-0009-report-speed-a';
import * as reportSpeedB from './2026-11-23-0010-report-speed-b';
import * as markovPaths from './2026-11-23-0011-markov-paths';
import * as pathKeys from './2026-11-23-0012-path-keys';

// Every migration, in order. Listed statically so the same list works under
// tsx (CLI, tests) and inside the bundled server.
export const migrations: Record<string, Migration> = {
  '2026-11-23-0001-initial': initial,
  '2026-11-23-0002-analytics': analytics,
  '2026-11-23-0003-conversion-settings': conversionSettings,
  '2026-11-23-0004-visitor-paths': visitorPaths,
  '2026-11-23-0005-report-speed': reportSpeed,
  '2026-11-23-0006-accounts': accounts,
  '2026-11-23-0007-api': api,
  '2026-11-23-0009-report-speed-a': reportSpeedA,
  '2026-11-23-0010-report-speed-b': reportSpeedB,
  '2026-11-23-0011-markov-paths': markovPaths,
  '2026-11-23-0012-path-keys': pathKeys,
};
