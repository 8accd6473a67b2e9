import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { fail, quote } from '../../core/errors';
import { AlertMatcher } from './alert-matcher';
import { AlertmanagerConfig } from './alertmanager-config';
import { Receiver } from './receivers';
import { AlertSeverity } from './severity';

/** A team's receivers. */
export interface TeamRoute {
  /** The value of the alerts' `team` label. */
  readonly team: string;
  /** Where the team's alerts go. */
  readonly receiver: Receiver;
  /**
   * Where the team's critical alerts go instead (e.g. its PagerDuty service).
   * @default - the team's receiver
   */
  readonly pageReceiver?: Receiver;
}

/** Where alerts go, without the name and namespace a stack decides (see {@link ObservabilityStackProps.alertRouting}). */
export interface AlertRoutingOptions {
  /** Where alerts matching no other route go. */
  readonly defaultReceiver: Receiver;
  /** Where critical alerts of no team go. @default - the default receiver */
  readonly criticalReceiver?: Receiver;
  /** Team routes, tried before the severity route. @default - none */
  readonly teams?: TeamRoute[];
  /** @default ['alertname', 'namespace', 'service'] */
  readonly groupBy?: string[];
  /** @default Duration.seconds(30) */
  readonly groupWait?: Duration;
  /** @default Duration.minutes(5) */
  readonly groupInterval?: Duration;
  /** @default Duration.hours(4) */
  readonly repeatInterval?: Duration;
  /** Mute a service's warnings while one of its critical alerts fires. @default true */
  readonly inhibitWarningsOnCritical?: boolean;
}

/** Props of {@link AlertRouting}. */
export interface AlertRoutingProps extends AlertRoutingOptions {
  /** @default 'mesh-alert-routing' */
  readonly name?: string;
  /** The namespace whose alerts are routed (and where the receivers' Secrets live). */
  readonly namespace: string;
}

/**
 * An opinionated alert routing for the mesh's alerts, as one `AlertmanagerConfig`: routes by team
 * (critical alerts to the team's pager) and by severity, grouped by alert, namespace and service,
 * and a rule that mutes a service's warnings while it has a critical alert.
 */
export class AlertRouting extends Construct {
  public readonly config: AlertmanagerConfig;

  public constructor(scope: Construct, id: string, props: AlertRoutingProps) {
    super(scope, id);
    this.config = new AlertmanagerConfig(this, 'Config', {
      name: props.name ?? 'mesh-alert-routing',
      namespace: props.namespace,
      defaultReceiver: props.defaultReceiver,
      groupBy: props.groupBy ?? ['alertname', 'namespace', 'service'],
      groupWait: props.groupWait ?? Duration.seconds(30),
      groupInterval: props.groupInterval ?? Duration.minutes(5),
      repeatInterval: props.repeatInterval ?? Duration.hours(4),
    });
    // one receiver may serve several roles; two different receivers of one name would be merged
    const added = new Map<string, { receiver: Receiver; prop: string }>([[props.defaultReceiver.name, { receiver: props.defaultReceiver, prop: 'defaultReceiver' }]]);
    const add = (r: Receiver, prop: string) => {
      const same = added.get(r.name);
      if (!same) {
        this.config.addReceiver(r);
        added.set(r.name, { receiver: r, prop });
      } else if (JSON.stringify(same.receiver._toKube()) !== JSON.stringify(r._toKube())) {
        fail(this, prop, `is a receiver named ${quote(r.name)}, like the different receiver of ${same.prop}; Alertmanager would keep only one of them`, 'give each receiver its own name');
      }
    };
    const critical = AlertMatcher.equals('severity', AlertSeverity.CRITICAL);
    const teams = new Set<string>();
    for (const [i, t] of (props.teams ?? []).entries()) {
      if (typeof t.team !== 'string' || t.team === '') fail(this, `teams[${i}].team`, `must not be empty, got ${quote(t.team)}`, 'pass the team label value');
      if (teams.has(t.team)) fail(this, `teams[${i}].team`, `${quote(t.team)} is listed twice`, 'list each team once');
      teams.add(t.team);
      add(t.receiver, `teams[${i}].receiver`);
      if (t.pageReceiver) add(t.pageReceiver, `teams[${i}].pageReceiver`);
      this.config.addRoute({
        matchers: [AlertMatcher.equals('team', t.team)],
        receiver: t.receiver.name,
        routes: t.pageReceiver ? [{ matchers: [critical], receiver: t.pageReceiver.name }] : undefined,
      });
    }
    if (props.criticalReceiver) {
      add(props.criticalReceiver, 'criticalReceiver');
      this.config.addRoute({ matchers: [critical], receiver: props.criticalReceiver.name });
    }
    if (props.inhibitWarningsOnCritical ?? true) {
      this.config.addInhibitRule({
        sourceMatchers: [critical],
        targetMatchers: [AlertMatcher.equals('severity', AlertSeverity.WARNING)],
        equal: ['namespace', 'service'],
      });
    }
  }
}
