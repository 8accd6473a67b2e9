import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { millisOf } from '../../core/duration';
import { fail, quote } from '../../core/errors';
import { validateDnsLabel } from '../../core/names';
import { chosenName } from '../../core/object-names';
import { MeshService } from '../../service/mesh-service';
import { AlertCommonOptions, runbookAnnotation, validateRunbookBaseUrl } from '../alerting/severity';
import { MeshMetrics } from '../metrics/mesh-metrics';
import { PrometheusRule } from '../prometheus/prometheus-rule';
import { eq, formatNumber, promDuration, selector, validateLabels as validatePromLabels } from '../prometheus/promql';
import { Rule } from '../prometheus/rule';
import { BurnRateWindow, burnRate, SRE_WORKBOOK_BURN_RATES } from './burn-rate';
import { ServiceLevelIndicator } from './service-level-indicator';
import { validateLabels } from '../../core/labels';

/** The windows the error ratio is always recorded over (dashboards read them too). */
const RECORDED_WINDOWS = [Duration.minutes(5), Duration.minutes(30), Duration.hours(1), Duration.hours(2), Duration.hours(6), Duration.days(1), Duration.days(3)];

/** What an SLO promises, without the metrics and rule labels a stack decides (see {@link ObservabilityStackProps.objectives}). */
export interface ServiceLevelObjectiveOptions extends AlertCommonOptions {
  /** The service the objective is for. */
  readonly service: MeshService;
  /** The share of good events to reach, in percent, strictly between 0 and 100 (e.g. 99.9). */
  readonly objectivePercent: number;
  /**
   * What counts as a good event.
   * @default ServiceLevelIndicator.availability()
   */
  readonly indicator?: ServiceLevelIndicator;
  /**
   * The compliance window: from 7 to 90 days, whole hours.
   * @default Duration.days(30)
   */
  readonly window?: Duration;
  /**
   * The SLO's name: the `slo` label of its series and alerts.
   * @default `<service>-<availability|latency>`
   */
  readonly name?: string;
  /**
   * The name of the PrometheusRule holding the SLO's recording and alerting rules.
   * @default `<name>-slo`
   */
  readonly ruleName?: string;
  /**
   * The burn-rate alert tiers.
   * @default SRE_WORKBOOK_BURN_RATES (page at 14.4× over 1h and 5m, and 6× over 6h and 30m; ticket at 1× over 3d and 6h)
   */
  readonly burnRates?: BurnRateWindow[];
}

/** Props of a {@link ServiceLevelObjective}. */
export interface ServiceLevelObjectiveProps extends ServiceLevelObjectiveOptions {
  /**
   * The mesh metrics to read.
   * @default - MeshMetrics.forScope(this)
   */
  readonly metrics?: MeshMetrics;
  /**
   * Labels of the PrometheusRule object, for your Prometheus' `ruleSelector`.
   * @default - none
   */
  readonly ruleLabels?: Record<string, string>;
}

/**
 * A service-level objective (availability, or latency under a threshold) over a compliance window,
 * rendered as one `PrometheusRule` (group `slo-<name>`) holding:
 *
 * - `slo:sli_error:ratio_rate<w>`: the share of bad events over 5m, 30m, 1h, 2h, 6h, 1d and 3d;
 * - `slo:sli_requests:rate5m` / `slo:sli_errors:rate5m`: request-weighted inputs for the window;
 * - `slo:sli_error:ratio_rate<window>` (e.g. `ratio_rate30d`), `slo:objective:ratio` and
 *   `slo:error_budget:remaining_ratio` (1 = untouched, 0 = spent, negative = overspent);
 * - `ErrorBudgetBurn` alerts, one per tier of the multi-window, multi-burn-rate table: each fires
 *   when the error ratio exceeds `burnRate × (1 - objective)` over both the long and the short window.
 *
 * Every series carries the labels `slo`, `service` and `namespace`.
 */
export class ServiceLevelObjective extends Construct {
  /** The SLO's name (the `slo` label). */
  public readonly sloName: string;
  /** The objective as a ratio, e.g. 0.999. */
  public readonly objective: number;
  /** The error budget as a ratio, e.g. 0.001. */
  public readonly errorBudget: number;
  /** The compliance window. */
  public readonly window: Duration;
  public readonly indicator: ServiceLevelIndicator;
  public readonly metrics: MeshMetrics;
  /** The generated rule. */
  public readonly rule: PrometheusRule;
  /** The service the objective is for. */
  public readonly service: MeshService;

  public constructor(scope: Construct, id: string, props: ServiceLevelObjectiveProps) {
    super(scope, id);
    const svc = props.service;
    if (!MeshService.isMeshService(svc)) fail(this, 'service', `must be a MeshService, got ${quote(svc)}`, 'pass the MeshService the objective is for');
    this.service = svc;
    const p = props.objectivePercent;
    if (typeof p !== 'number' || !Number.isFinite(p) || p <= 0 || p >= 100) {
      fail(this, 'objectivePercent', `must be strictly between 0 and 100, got ${quote(p)}`, 'pass e.g. 99.9 for 99.9%');
    }
    this.indicator = props.indicator ?? ServiceLevelIndicator.availability();
    if (!(this.indicator instanceof ServiceLevelIndicator)) fail(this, 'indicator', `must be a ServiceLevelIndicator, got ${quote(this.indicator)}`, 'use ServiceLevelIndicator.availability() or .latency(...)');
    this.metrics = props.metrics ?? MeshMetrics.forScope(this);
    this.indicator.validateFor(this, 'indicator', this.metrics);
    this.window = props.window ?? Duration.days(30);
    const windowMs = millisOf(this, 'window', this.window);
    if (!(windowMs >= Duration.days(7).toMilliseconds() && windowMs <= Duration.days(90).toMilliseconds() && windowMs % 3_600_000 === 0)) {
      fail(this, 'window', `must be a whole number of hours from 7 to 90 days, got ${promDuration(this, 'window', this.window)}`, 'use e.g. Duration.days(28) or Duration.days(30)');
    }
    this.sloName = validateDnsLabel(this, 'name', props.name ?? `${svc.serviceName}-${this.indicator.kind}`);
    this.objective = Number((p / 100).toPrecision(12));
    this.errorBudget = Number((1 - this.objective).toPrecision(12));
    const tiers = props.burnRates ?? [...SRE_WORKBOOK_BURN_RATES];
    if (tiers.length === 0) fail(this, 'burnRates', 'must list at least one tier', 'leave it unset for the SRE workbook table');
    const runbook = validateRunbookBaseUrl(this, props.runbookBaseUrl);
    const extra = validatePromLabels(this, 'alertLabels', props.alertLabels) ?? {};

    const labels = { slo: this.sloName, service: svc.serviceName, namespace: svc.namespace };
    const matchers = [eq('slo', this.sloName), eq('service', svc.serviceName), eq('namespace', svc.namespace)];
    const ratioName = (w: string) => `slo:sli_error:ratio_rate${w}`;
    const win = promDuration(this, 'window', this.window);
    const rules: Rule[] = [];

    const windows = new Map<string, number>();
    for (const d of [...RECORDED_WINDOWS, ...tiers.flatMap((t) => [t.shortWindow, t.longWindow])]) {
      windows.set(promDuration(this, 'burnRates window', d), d.toMilliseconds());
    }
    for (const [w] of [...windows].sort((a, b) => a[1] - b[1])) {
      rules.push(Rule.recording({ record: ratioName(w), expr: this.indicator.errorRatio(this.metrics, svc, w), labels }));
    }
    const rates = this.indicator.rates(this.metrics, svc, '5m');
    rules.push(Rule.recording({ record: 'slo:sli_errors:rate5m', expr: rates.bad, labels }));
    rules.push(Rule.recording({ record: 'slo:sli_requests:rate5m', expr: rates.total, labels }));
    rules.push(Rule.recording({
      record: ratioName(win),
      expr: `sum_over_time(${selector('slo:sli_errors:rate5m', matchers)}[${win}]) / sum_over_time(${selector('slo:sli_requests:rate5m', matchers)}[${win}])`,
      labels,
    }));
    rules.push(Rule.recording({ record: 'slo:objective:ratio', expr: `vector(${formatNumber(this.objective)})`, labels }));
    rules.push(Rule.recording({
      record: 'slo:error_budget:remaining_ratio',
      expr: `1 - (${selector(ratioName(win), matchers)} / ${formatNumber(this.errorBudget)})`,
      labels,
    }));

    for (const [i, tier] of tiers.entries()) {
      const rate = burnRate(tier, this.window);
      const threshold = rate * this.errorBudget;
      if (!(threshold < 1)) {
        fail(this, `burnRates[${i}]`, `needs an error ratio above ${formatNumber(threshold)} (${formatNumber(rate)}× a ${formatNumber(this.errorBudget * 100)}% budget), which can never happen`,
          `raise objectivePercent above ${formatNumber(100 * (1 - 1 / rate))} or drop this tier`);
      }
      const long = promDuration(this, `burnRates[${i}].longWindow`, tier.longWindow);
      const short = promDuration(this, `burnRates[${i}].shortWindow`, tier.shortWindow);
      const cond = (w: string) => `${selector(ratioName(w), matchers)} > (${formatNumber(rate)} * ${formatNumber(this.errorBudget)})`;
      rules.push(Rule.alerting({
        alert: 'ErrorBudgetBurn',
        expr: `${cond(long)} and ${cond(short)}`,
        labels: { ...extra, ...labels, ...(props.team ? { team: props.team } : {}), severity: tier.severity, long_window: long, short_window: short },
        annotations: {
          summary: `${this.sloName}: error budget burning at ${formatNumber(rate)}× or faster`,
          description: `Objective: ${formatNumber(p)}% of requests to ${svc.serviceName}.${svc.namespace} ${this.indicator.description} over ${win}. The bad-event ratio is {{ $value | humanizePercentage }} over ${long} (and above ${formatNumber(threshold)} over ${short}); at this rate ${formatNumber(tier.budgetConsumedPercent)}% of the budget is gone in ${long}.`,
          ...runbookAnnotation(runbook, 'ErrorBudgetBurn'),
        },
      }));
    }

    const ruleName = chosenName(this, 'ruleName', 'monitoring.coreos.com/PrometheusRule', props.ruleName, `${this.sloName}-slo`);
    this.rule = new PrometheusRule(this, 'Rule', { name: ruleName, namespace: svc.namespace, labels: validateLabels(this, 'ruleLabels', props.ruleLabels) });
    this.rule.addGroup(`slo-${this.sloName}`, { rules });
  }
}
