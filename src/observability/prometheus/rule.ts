import { Duration } from 'cdk8s';
import { fail, quote } from '../../core/errors';
import { promDuration, validateLabels, validateMetricName } from './promql';

/** Props of a recording rule. */
export interface RecordingRuleProps {
  /** The name of the series to record, e.g. `slo:sli_error:ratio_rate5m`. */
  readonly record: string;
  /** The PromQL expression. */
  readonly expr: string;
  /** @default - none */
  readonly labels?: Record<string, string>;
}

/** Props of an alerting rule. */
export interface AlertingRuleProps {
  /** The alert name, e.g. `ServiceHighErrorRatio`. */
  readonly alert: string;
  /** The PromQL expression; every series it returns is an alert. */
  readonly expr: string;
  /**
   * How long the expression must hold before the alert fires.
   * @default - fires on the first evaluation that returns a series
   */
  readonly for?: Duration;
  /**
   * How long the alert keeps firing after the expression stops returning it.
   * @default - stops at once
   */
  readonly keepFiringFor?: Duration;
  /** @default - none */
  readonly labels?: Record<string, string>;
  /** @default - none */
  readonly annotations?: Record<string, string>;
}

/**
 * A rule as written in a Prometheus rule file (snake_case keys).
 *
 * TypeScript only (`@jsii ignore`): rule files are wire format with snake_case keys, which a jsii
 * struct would rename; other languages take the whole file as JSON (`toRuleFileJson()`) or YAML
 * (`PrometheusRule.toRuleFileYaml()`).
 * @jsii ignore
 */
export interface RuleFileRule {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly for?: string;
  readonly keep_firing_for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/**
 * A Prometheus recording or alerting rule.
 *
 * @example
 * Rule.recording({ record: 'job:up:sum', expr: 'sum by (job) (up)' })
 * Rule.alerting({ alert: 'Down', expr: 'up == 0', for: Duration.minutes(5), labels: { severity: 'critical' } })
 */
export class Rule {
  /** A recording rule: evaluates `expr` and stores the result as `record`. */
  public static recording(props: RecordingRuleProps): Rule {
    const where = 'Rule.recording';
    validateMetricName(where, 'record', props.record);
    return new Rule({
      record: props.record,
      expr: validateExpr(where, props.expr),
      labels: nonEmpty(validateLabels(where, 'labels', props.labels)),
    });
  }

  /** An alerting rule: every series `expr` returns for `for` is a firing alert. */
  public static alerting(props: AlertingRuleProps): Rule {
    const where = 'Rule.alerting';
    if (typeof props.alert !== 'string' || !/^[a-zA-Z_][a-zA-Z0-9_:]*$/.test(props.alert)) {
      fail(where, 'alert', `must be a name of letters, digits, '_' and ':', got ${quote(props.alert)}`, 'use e.g. "ServiceHighErrorRatio"');
    }
    const annotations = props.annotations === undefined ? undefined : { ...props.annotations };
    for (const [k, v] of Object.entries(annotations ?? {})) {
      if (typeof v !== 'string') fail(where, `annotations.${k}`, `must be a string, got ${quote(v)}`, 'quote the value');
    }
    return new Rule({
      alert: props.alert,
      expr: validateExpr(where, props.expr),
      for: props.for ? promDuration(where, 'for', props.for) : undefined,
      keep_firing_for: props.keepFiringFor ? promDuration(where, 'keepFiringFor', props.keepFiringFor) : undefined,
      labels: nonEmpty(validateLabels(where, 'labels', props.labels)),
      annotations: nonEmpty(annotations),
    });
  }

  private constructor(private readonly value: RuleFileRule) {}

  /** The recorded series name, for a recording rule. */
  public get record(): string | undefined {
    return this.value.record;
  }

  /** The alert name, for an alerting rule. */
  public get alert(): string | undefined {
    return this.value.alert;
  }

  /** The PromQL expression. */
  public get expr(): string {
    return this.value.expr;
  }

  /** The rule's labels (a copy). */
  public get labels(): Record<string, string> {
    return { ...(this.value.labels ?? {}) };
  }

  /** The rule's annotations (a copy). */
  public get annotations(): Record<string, string> {
    return { ...(this.value.annotations ?? {}) };
  }

  /** The rule in Prometheus rule-file form (what `promtool check rules` reads), as JSON: the form every language keeps whole. */
  public toRuleFileJson(): any {
    return this.toRuleFile();
  }

  /**
   * The rule in Prometheus rule-file form (what `promtool check rules` reads).
   * TypeScript only (see {@link RuleFileRule}); other languages call `toRuleFileJson()`.
   * @jsii ignore
   */
  public toRuleFile(): RuleFileRule {
    const v = this.value;
    return strip({
      record: v.record,
      alert: v.alert,
      expr: v.expr,
      for: v.for,
      keep_firing_for: v.keep_firing_for,
      labels: v.labels ? sortKeys(v.labels) : undefined,
      annotations: v.annotations ? sortKeys(v.annotations) : undefined,
    }) as unknown as RuleFileRule;
  }
}

function validateExpr(where: string, expr: string): string {
  if (typeof expr !== 'string' || expr.trim() === '') fail(where, 'expr', `must be a PromQL expression, got ${quote(expr)}`, 'pass e.g. "up == 0"');
  return expr;
}

function nonEmpty<T extends object>(x: T | undefined): T | undefined {
  return x && Object.keys(x).length > 0 ? x : undefined;
}

/** Returns a copy of a string map with its keys sorted (stable output). */
export function sortKeys(x: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function strip(x: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined));
}
