import { Duration } from 'cdk8s';
import { AlertSeverity } from '../alerting/severity';

/** One row of the multi-window, multi-burn-rate alerting table. */
export interface BurnRateWindow {
  /** The long window: the alert needs this much evidence. */
  readonly longWindow: Duration;
  /** The short window (1/12 of the long one): the alert resets soon after the burn stops. */
  readonly shortWindow: Duration;
  /** The share of the whole error budget that burning at this rate for `longWindow` consumes, in percent. */
  readonly budgetConsumedPercent: number;
  /** Page (critical) or ticket (warning). */
  readonly severity: AlertSeverity;
}

/**
 * The Google SRE workbook's recommended table (chapter 5, "Alerting on SLOs", multiwindow,
 * multi-burn-rate alerts), for a 30-day SLO window:
 *
 * | severity | long window | short window | budget consumed | burn rate |
 * |----------|-------------|--------------|-----------------|-----------|
 * | page     | 1h          | 5m           | 2%              | 14.4      |
 * | page     | 6h          | 30m          | 5%              | 6         |
 * | ticket   | 3d          | 6h           | 10%             | 1         |
 *
 * The burn rate is derived as `budgetConsumed × sloWindow / longWindow`, so other SLO windows keep
 * the same budget-consumption semantics (a 28-day window pages at 13.44×).
 */
export const SRE_WORKBOOK_BURN_RATES: readonly BurnRateWindow[] = [
  { longWindow: Duration.hours(1), shortWindow: Duration.minutes(5), budgetConsumedPercent: 2, severity: AlertSeverity.CRITICAL },
  { longWindow: Duration.hours(6), shortWindow: Duration.minutes(30), budgetConsumedPercent: 5, severity: AlertSeverity.CRITICAL },
  { longWindow: Duration.days(3), shortWindow: Duration.hours(6), budgetConsumedPercent: 10, severity: AlertSeverity.WARNING },
];

/** The burn rate at which a tier fires for an SLO window. */
export function burnRate(tier: BurnRateWindow, sloWindow: Duration): number {
  return Number(((tier.budgetConsumedPercent / 100) * sloWindow.toMilliseconds() / tier.longWindow.toMilliseconds()).toPrecision(12));
}

/** Burn-rate alert tiers, for every language: the class form of `SRE_WORKBOOK_BURN_RATES` and `burnRate`. */
export class BurnRates {
  /** The SRE workbook's tiers: page at 14.4× over 1h/5m and 6× over 6h/30m, ticket at 1× over 3d/6h (a copy). */
  public static sreWorkbook(): BurnRateWindow[] {
    return [...SRE_WORKBOOK_BURN_RATES];
  }

  /** The burn rate of a tier for an SLO window: how many times faster than sustainable the budget burns. */
  public static rate(tier: BurnRateWindow, sloWindow: Duration): number {
    return burnRate(tier, sloWindow);
  }

  private constructor() {}
}
