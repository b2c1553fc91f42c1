import { useFormat, useI18n } from '../i18n/i18n';
import type { PlanProgress, PlanSlice } from '../lib/plan-progress';
import { formatValue } from './value';
import { filterValueLabel } from './filter-bar';

/**
 * Plan against actual for one month: a bar per target with a mark where a
 * steady pace would be by now, and the month's CPL against the plan maximum.
 */
export function PlanProgressPanel({ plan }: { plan: PlanProgress & { slice: PlanSlice } }) {
  const i18n = useI18n();
  const { t } = i18n;
  const f = useFormat();
  const slice = [
    plan.slice.channel ? filterValueLabel(i18n, 'channel', plan.slice.channel) : '',
    plan.slice.region,
    plan.slice.manager,
  ]
    .filter(Boolean)
    .join(', ');
  const month = f.month(plan.month);
  return (
    <section className="panel" aria-labelledby="plan-heading">
      <h2 id="plan-heading">{slice ? t('overview.planSlice', { month, slice }) : t('overview.plan', { month })}</h2>
      <p className="muted">{t('overview.planPace', { day: f.day(plan.through), share: f.percent(plan.expectedShare, 0) })}</p>
      <ul className="plan-list">
        {plan.targets.map((target) => {
          const share = target.share ?? 0;
          const behind = target.share !== null && target.share < plan.expectedShare;
          return (
            <li key={target.measure}>
              <span className="plan-label">{t(`plan.${target.measure}`)}</span>
              <span className="plan-figures">
                {t('overview.planOf', { actual: formatValue(f, target.kind === 'money' ? 'money' : 'number', target.actual), target: formatValue(f, target.kind === 'money' ? 'money' : 'number', target.target) })}
                <span className="muted"> ({f.percent(target.share, 0)})</span>
              </span>
              <span className="plan-bar" aria-hidden="true">
                <span className={behind ? 'plan-fill is-behind' : 'plan-fill'} style={{ width: `${Math.min(100, share * 100)}%` }} />
                <span className="plan-pace" style={{ left: `${Math.min(100, plan.expectedShare * 100)}%` }} />
              </span>
            </li>
          );
        })}
      </ul>
      {plan.cpl ? (
        <p className={plan.cpl.isOver ? 'plan-cpl is-over' : 'plan-cpl'}>
          {t('overview.cplAgainstMax', { actual: f.money(plan.cpl.actual), max: f.money(plan.cpl.max) })}
          {plan.cpl.isOver ? <strong> · {t('overview.cplOver')}</strong> : null}
        </p>
      ) : null}
    </section>
  );
}
