import type { Workspace } from '../../db/schema';
import { todayIn } from './calendar';
import { parseDashboard, type Dashboard } from './dashboard-params';

/**
 * The dashboard state of a request, on the workspace's calendar: "today" is
 * the server's clock read in the workspace time zone (pass `now` in tests).
 */
export function getDashboard(request: Request, ws: Pick<Workspace, 'time_zone'>, now = new Date()): Dashboard {
  return parseDashboard(new URL(request.url).searchParams, todayIn(ws.time_zone, now));
}
