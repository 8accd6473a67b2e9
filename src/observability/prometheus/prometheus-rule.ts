import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as l1 from '../../../imports/monitoring.coreos.com';
import { fail, quote } from '../../core/errors';
import { yaml11 } from '../../core/yaml-text';
import { MeshResource, MeshResourceProps } from '../../core/resource';
import { promDuration } from './promql';
import { Rule, RuleFileRule } from './rule';

/** Options of a rule group. */
export interface RuleGroupOptions {
  /**
   * How often the group is evaluated.
   * @default - Prometheus' global evaluation interval
   */
  readonly interval?: Duration;
  /** @default - none; add with addRules() */
  readonly rules?: Rule[];
}

/**
 * A rule group in Prometheus rule-file form.
 *
 * TypeScript only (`@jsii ignore`): rule files are wire format with snake_case keys, which a jsii
 * struct would rename; other languages take the whole file as JSON (`toRuleFileJson()`) or YAML
 * (`PrometheusRule.toRuleFileYaml()`).
 * @jsii ignore
 */
export interface RuleFileGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: RuleFileRule[];
}

/**
 * A Prometheus rule file: what `promtool check rules` and `promtool test rules` read.
 *
 * TypeScript only (`@jsii ignore`): rule files are wire format with snake_case keys, which a jsii
 * struct would rename; other languages take the whole file as JSON (`toRuleFileJson()`) or YAML
 * (`PrometheusRule.toRuleFileYaml()`).
 * @jsii ignore
 */
export interface RuleFile {
  readonly groups: RuleFileGroup[];
}

/** Props of a {@link PrometheusRule}. */
export interface PrometheusRuleProps extends MeshResourceProps {}

/**
 * A prometheus-operator `PrometheusRule` (monitoring.coreos.com/v1): groups of recording and
 * alerting rules. `toRuleFile()` returns the same groups as a plain Prometheus rule file, so they
 * can be checked with `promtool`.
 *
 * Remember the labels your Prometheus' `ruleSelector` expects (often `release: <helm release>`).
 */
export class PrometheusRule extends MeshResource {
  public readonly apiObject: ApiObject;
  private readonly groups = new Map<string, { interval?: string; rules: Rule[] }>();

  public constructor(scope: Construct, id: string, props: PrometheusRuleProps = {}) {
    super(scope, id, props);
    this.apiObject = new l1.PrometheusRule(this, 'Resource', {
      metadata: this.metadata(props),
      spec: Lazy.any({ produce: () => this._toKube() }) as l1.PrometheusRuleSpec,
    });
    this.node.addValidation({ validate: () => (this.groups.size === 0 ? [`${this.node.path}: has no rule groups. Fix: add one with addGroup()`] : []) });
  }

  /** Adds a rule group; names must be unique within the resource. */
  public addGroup(name: string, options: RuleGroupOptions = {}): void {
    if (typeof name !== 'string' || name.trim() === '') fail(this, 'group name', `must not be empty, got ${quote(name)}`, 'name the group, e.g. "reviews.golden-signals"');
    if (this.groups.has(name)) fail(this, 'group name', `${quote(name)} is already used`, 'give each group a unique name');
    this.groups.set(name, { interval: options.interval ? promDuration(this, `group ${name} interval`, options.interval) : undefined, rules: [] });
    this.addRules(name, ...(options.rules ?? []));
  }

  /** Appends rules to a group; they are evaluated in order. */
  public addRules(group: string, ...rules: Rule[]): void {
    const g = this.groups.get(group);
    if (!g) fail(this, 'group', `${quote(group)} does not exist (groups: ${[...this.groups.keys()].join(', ') || 'none'})`, 'add it first with addGroup()');
    for (const r of rules) {
      if (!(r instanceof Rule)) fail(this, `group ${group} rules`, `must be Rule values, got ${quote(r)}`, 'use Rule.alerting(...) or Rule.recording(...)');
      g.rules.push(r);
    }
  }

  /** The names of the groups, in order. */
  public get groupNames(): string[] {
    return [...this.groups.keys()];
  }

  /** The rules, all groups (a copy). */
  public get rules(): Rule[] {
    return [...this.groups.values()].flatMap((g) => g.rules);
  }

  /** The groups as a Prometheus rule file, as JSON: the form every language keeps whole. */
  public toRuleFileJson(): any {
    return this.toRuleFile();
  }

  /** The groups as a Prometheus rule file in YAML, ready for `promtool check rules` and `promtool test rules`. */
  public toRuleFileYaml(): string {
    return yaml11(this.toRuleFile()); // Prometheus reads YAML 1.1: a label value `on` must stay a string
  }

  /**
   * The groups as a Prometheus rule file.
   * TypeScript only (see {@link RuleFile}); other languages call `toRuleFileJson()` or `toRuleFileYaml()`.
   * @jsii ignore
   */
  public toRuleFile(): RuleFile {
    return {
      groups: [...this.groups].map(([name, g]) => {
        if (g.rules.length === 0) fail(this, `group ${name}`, 'has no rules', 'add rules with addRules() or remove the group');
        return { name, ...(g.interval ? { interval: g.interval } : {}), rules: g.rules.map((r) => r.toRuleFile()) };
      }),
    };
  }

  /** @internal */
  public _toKube(): l1.PrometheusRuleSpec {
    return {
      groups: this.toRuleFile().groups.map((g) => ({
        name: g.name,
        interval: g.interval,
        rules: g.rules.map((r) => ({
          record: r.record,
          alert: r.alert,
          expr: l1.PrometheusRuleSpecGroupsRulesExpr.fromString(r.expr),
          for: r.for,
          keepFiringFor: r.keep_firing_for,
          labels: r.labels,
          annotations: r.annotations,
        })),
      })),
    };
  }
}
