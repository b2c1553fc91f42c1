import { Link } from '@remix-run/react';
import { dashboardSearch, type DashboardState } from '../../lib/dashboard-params';
import type { Breakdown } from '../../reports/params';

export interface BreakdownOption {
  /** undefined = no breakdown. */
  value: Breakdown | undefined;
  label: string;
}

/**
 * The page's breakdown as a row of links (`?by=…`), so every view is a URL
 * that Back, Forward and bookmarks keep; the current one is marked for
 * screen readers. The filter bar carries `by` along.
 */
export function BreakdownLinks(props: { label: string; state: DashboardState; options: BreakdownOption[]; current: Breakdown | undefined }) {
  return (
    <nav className="breakdown-links" aria-label={props.label}>
      <span className="breakdown-label" aria-hidden="true">
        {props.label}
      </span>
      <ul>
        {props.options.map((o) => {
          const isCurrent = o.value === props.current;
          return (
            <li key={o.value ?? ''}>
              <Link
                to={{ search: dashboardSearch(props.state, { by: o.value }) }}
                preventScrollReset
                aria-current={isCurrent ? 'true' : undefined}
                className={isCurrent ? 'is-current' : undefined}
              >
                {o.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
