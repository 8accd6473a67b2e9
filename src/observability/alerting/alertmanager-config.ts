import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as l1 from '../../../imports/monitoring.coreos.com';
import { fail, quote } from '../../core/errors';
import { MeshResource, MeshResourceProps } from '../../core/resource';
import { promDuration } from '../prometheus/promql';
import { AlertMatcher } from './alert-matcher';
import { Receiver } from './receivers';
import { addMeshValidation } from '../../core/validation-pass';

/** Grouping and timing of notifications. */
export interface NotificationTiming {
  /** Labels that group alerts into one notification; `['...']` groups by all labels. @default - the parent route's */
  readonly groupBy?: string[];
  /** Wait before the first notification of a group. @default - the parent route's (Alertmanager: 30s) */
  readonly groupWait?: Duration;
  /** Wait before notifying about new alerts of a group. @default - the parent route's (Alertmanager: 5m) */
  readonly groupInterval?: Duration;
  /** Wait before repeating a notification. @default - the parent route's (Alertmanager: 4h) */
  readonly repeatInterval?: Duration;
}

/** A route of an {@link AlertmanagerConfig}. */
export interface AlertRoute extends NotificationTiming {
  /** All must match. At least one. */
  readonly matchers: AlertMatcher[];
  /** The receiver's name; it must be added to the config. */
  readonly receiver: string;
  /** Keep matching the following sibling routes. @default false */
  readonly continue?: boolean;
  /** @default - none */
  readonly routes?: AlertRoute[];
}

/** An inhibition rule: while a source alert fires, matching target alerts are muted. */
export interface InhibitRule {
  readonly sourceMatchers: AlertMatcher[];
  readonly targetMatchers: AlertMatcher[];
  /** Labels whose values must be equal in the source and the target, e.g. `['namespace', 'service']`. */
  readonly equal: string[];
}

/** Props of an {@link AlertmanagerConfig}. */
export interface AlertmanagerConfigProps extends MeshResourceProps, NotificationTiming {
  /** Where alerts that match no route go. */
  readonly defaultReceiver: Receiver;
}

/**
 * A prometheus-operator `AlertmanagerConfig` (monitoring.coreos.com/v1alpha1): receivers, a routing
 * tree and inhibition rules. The operator scopes it to alerts whose `namespace` label is the
 * object's namespace, and reads receiver credentials from Secrets in that namespace.
 */
export class AlertmanagerConfig extends MeshResource {
  public readonly apiObject: ApiObject;
  private readonly receivers = new Map<string, Receiver>();
  private readonly routes: AlertRoute[] = [];
  private readonly inhibitRules: InhibitRule[] = [];
  private readonly rootTiming: Record<string, unknown>;
  private readonly defaultReceiver: string;

  public constructor(scope: Construct, id: string, props: AlertmanagerConfigProps) {
    super(scope, id, props);
    if (!(props.defaultReceiver instanceof Receiver)) fail(this, 'defaultReceiver', `must be a Receiver, got ${quote(props.defaultReceiver)}`, 'use Receiver.slack(...), Receiver.pagerDuty(...), ...');
    this.addReceiver(props.defaultReceiver);
    this.defaultReceiver = props.defaultReceiver.name;
    this.rootTiming = this.timing('route', props);
    this.apiObject = new l1.AlertmanagerConfig(this, 'Resource', {
      metadata: this.metadata(props),
      spec: Lazy.any({ produce: () => this._toKube() }) as l1.AlertmanagerConfigSpec,
    });
    addMeshValidation(this, () => this.unknownReceivers());
  }

  /** Adds a receiver; names must be unique. */
  public addReceiver(receiver: Receiver): void {
    if (!(receiver instanceof Receiver)) fail(this, 'receiver', `must be a Receiver, got ${quote(receiver)}`, 'use Receiver.slack(...), ...');
    if (this.receivers.has(receiver.name)) fail(this, 'receivers', `already has a receiver named ${quote(receiver.name)}`, 'give each receiver a unique name');
    this.receivers.set(receiver.name, receiver);
  }

  /** Adds a route below the root; routes are tried in the order added. */
  public addRoute(route: AlertRoute): void {
    this.checkRoute(route, `routes[${this.routes.length}]`);
    this.routes.push(route);
  }

  /** Adds an inhibition rule. */
  public addInhibitRule(rule: InhibitRule): void {
    const prop = `inhibitRules[${this.inhibitRules.length}]`;
    for (const k of ['sourceMatchers', 'targetMatchers'] as const) {
      if (!Array.isArray(rule[k]) || rule[k].length === 0) fail(this, `${prop}.${k}`, 'must list at least one matcher', 'pass e.g. [AlertMatcher.equals("severity", "critical")]');
      rule[k].forEach((m, i) => { if (!(m instanceof AlertMatcher)) fail(this, `${prop}.${k}[${i}]`, `must be an AlertMatcher, got ${quote(m)}`, 'use AlertMatcher.equals(...)'); });
    }
    if (!Array.isArray(rule.equal)) fail(this, `${prop}.equal`, `must be a list of labels, got ${quote(rule.equal)}`, 'pass e.g. ["namespace", "service"]');
    this.inhibitRules.push({ ...rule, equal: [...rule.equal] });
  }

  /** The receiver names (a copy). */
  public get receiverNames(): string[] {
    return [...this.receivers.keys()];
  }

  private checkRoute(route: AlertRoute, prop: string): void {
    if (!Array.isArray(route.matchers) || route.matchers.length === 0) fail(this, `${prop}.matchers`, 'must list at least one matcher', 'pass e.g. [AlertMatcher.equals("severity", "critical")]');
    route.matchers.forEach((m, i) => { if (!(m instanceof AlertMatcher)) fail(this, `${prop}.matchers[${i}]`, `must be an AlertMatcher, got ${quote(m)}`, 'use AlertMatcher.equals(...)'); });
    if (typeof route.receiver !== 'string' || route.receiver === '') fail(this, `${prop}.receiver`, `must name a receiver, got ${quote(route.receiver)}`, 'pass the name of a receiver added with addReceiver()');
    this.timing(prop, route);
    (route.routes ?? []).forEach((r, i) => this.checkRoute(r, `${prop}.routes[${i}]`));
  }

  private timing(prop: string, t: NotificationTiming): Record<string, unknown> {
    if (t.groupBy !== undefined) {
      if (new Set(t.groupBy).size !== t.groupBy.length) fail(this, `${prop}.groupBy`, `repeats a label: ${quote(t.groupBy)}`, 'list each label once');
      if (t.groupBy.includes('...') && t.groupBy.length > 1) fail(this, `${prop}.groupBy`, 'mixes "..." with labels', 'use ["..."] alone to group by every label');
      for (const l of t.groupBy) if (l !== '...' && !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(l)) fail(this, `${prop}.groupBy`, `contains ${quote(l)}, which is not a label name`, 'use label names such as "alertname"');
    }
    return {
      groupBy: t.groupBy ? [...t.groupBy] : undefined,
      groupWait: t.groupWait ? promDuration(this, `${prop}.groupWait`, t.groupWait) : undefined,
      groupInterval: t.groupInterval ? promDuration(this, `${prop}.groupInterval`, t.groupInterval) : undefined,
      repeatInterval: t.repeatInterval ? promDuration(this, `${prop}.repeatInterval`, t.repeatInterval) : undefined,
    };
  }

  private unknownReceivers(): string[] {
    const out: string[] = [];
    const walk = (r: AlertRoute, prop: string) => {
      if (!this.receivers.has(r.receiver)) out.push(`${this.node.path}: ${prop}.receiver names ${quote(r.receiver)}, which is not a receiver (receivers: ${this.receiverNames.join(', ')}). Fix: add it with addReceiver()`);
      (r.routes ?? []).forEach((c, i) => walk(c, `${prop}.routes[${i}]`));
    };
    this.routes.forEach((r, i) => walk(r, `routes[${i}]`));
    return out;
  }

  private renderRoute(r: AlertRoute, prop: string): Record<string, unknown> {
    const out: Record<string, unknown> = {
      receiver: r.receiver,
      matchers: r.matchers.map((m) => m.toConfig()),
      ...this.timing(prop, r),
      continue: r.continue,
      routes: r.routes?.length ? r.routes.map((c, i) => this.renderRoute(c, `${prop}.routes[${i}]`)) : undefined,
    };
    return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
  }

  /** @internal */
  public _toKube(): l1.AlertmanagerConfigSpec {
    return {
      route: {
        receiver: this.defaultReceiver,
        ...this.rootTiming,
        routes: this.routes.length ? this.routes.map((r, i) => this.renderRoute(r, `routes[${i}]`)) : undefined,
      },
      receivers: [...this.receivers.values()].map((r) => r._toKube()) as unknown as l1.AlertmanagerConfigSpecReceivers[],
      inhibitRules: this.inhibitRules.length ? this.inhibitRules.map((r) => ({
        sourceMatch: r.sourceMatchers.map((m) => m.toConfig()) as l1.AlertmanagerConfigSpecInhibitRulesSourceMatch[],
        targetMatch: r.targetMatchers.map((m) => m.toConfig()) as l1.AlertmanagerConfigSpecInhibitRulesTargetMatch[],
        equal: r.equal,
      })) : undefined,
    };
  }
}
