import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { millisOf } from '../../core/duration';
import { fail, quote } from '../../core/errors';
import { validatePercent } from '../../core/percent';
import { MeshService } from '../../service/mesh-service';
import { MeshMetrics } from '../metrics/mesh-metrics';
import { PrometheusRule } from '../prometheus/prometheus-rule';
import { eq, formatNumber, ne, promDuration, re, selector, validateLabels as validatePromLabels } from '../prometheus/promql';
import { Rule } from '../prometheus/rule';
import { AlertCommonOptions, AlertSeverity, runbookAnnotation, validateRunbookBaseUrl } from './severity';
import { validateLabels } from '../../core/labels';
import { chosenName } from '../../core/object-names';
import { defaultPodNameRegex, uncoveredDeployments } from '../metrics/pod-names';

/** Options shared by every golden-signal alert. */
export interface SignalAlertOptions {
  /** @default true */
  readonly enabled?: boolean;
  /** @default - per alert, see each option */
  readonly severity?: AlertSeverity;
  /** @default - per alert, see each option */
  readonly for?: Duration;
}

/** The error-ratio alert: too many requests fail. */
export interface ErrorRatioAlertOptions extends SignalAlertOptions {
  /** Fire above this share of failed requests, in percent. @default 5 */
  readonly thresholdPercent?: number;
  /** The rate window. @default Duration.minutes(5) */
  readonly window?: Duration;
}

/** The latency alert: a latency percentile is too high. */
export interface LatencyAlertOptions extends SignalAlertOptions {
  /** The percentile, in (0, 100). @default 99 */
  readonly percentile?: number;
  /** Fire above this latency. @default Duration.millis(500) */
  readonly threshold?: Duration;
  /** The rate window. @default Duration.minutes(5) */
  readonly window?: Duration;
}

/** The traffic-drop alert: far fewer requests than at the same time earlier. */
export interface TrafficDropAlertOptions extends SignalAlertOptions {
  /** Fire when traffic fell by more than this percentage. @default 50 */
  readonly dropPercent?: number;
  /** Compare with the traffic this long ago. @default Duration.days(1) */
  readonly comparedTo?: Duration;
  /** Ignore the drop when the earlier traffic was below this many requests per second. @default 1 */
  readonly minimumRps?: number;
  /** The rate window. @default Duration.minutes(10) */
  readonly window?: Duration;
}

/** The absence alert: no request series of the service at all (scraping broken, or no traffic reaches it). */
export interface AbsenceAlertOptions extends SignalAlertOptions {
  /** How long the series must be missing. @default Duration.minutes(10) */
  readonly window?: Duration;
}

/** The saturation alerts: containers close to their CPU or memory limit. */
export interface SaturationAlertOptions extends SignalAlertOptions {
  /** Fire when CPU usage exceeds this percentage of the CPU limit. @default 90 */
  readonly cpuPercent?: number;
  /** Fire when the memory working set exceeds this percentage of the memory limit. @default 90 */
  readonly memoryPercent?: number;
}

/** The restart alert: containers restarting repeatedly. */
export interface RestartAlertOptions extends SignalAlertOptions {
  /** Fire at this many restarts within the window. @default 3 */
  readonly restarts?: number;
  /** @default Duration.minutes(30) */
  readonly window?: Duration;
}

/** The settings of a service's golden-signal alerts, without the service and what a stack decides (see {@link ObservabilityStackProps.alerts}). */
export interface ServiceAlertsOptions extends AlertCommonOptions {
  /**
   * A regex matching the names of the service's pods, for the container metrics (cAdvisor and
   * kube-state-metrics series carry pod names, not pod labels).
   * @default - the names a Deployment gives pods: `<service>(-<suffix>)?-<hash>-<id>`, plus the
   * Deployments ServiceWorkloads renders under other names (`versions[].deploymentName`)
   */
  readonly podNameRegex?: string;
  /** @default - enabled with its defaults */
  readonly errorRatio?: ErrorRatioAlertOptions;
  /** @default - enabled with its defaults */
  readonly latency?: LatencyAlertOptions;
  /** @default - enabled with its defaults */
  readonly trafficDrop?: TrafficDropAlertOptions;
  /**
   * Fire when the service's request metrics disappear: a broken scrape (a NetworkPolicy or a
   * monitor that no Prometheus selects), or no caller reaching it at all, which the ratio
   * alerts cannot see (they have no data). Disable it for services that may legitimately be idle.
   * @default - enabled with its defaults (warning after 10m without series, for 5m)
   */
  readonly metricsAbsent?: AbsenceAlertOptions;
  /** @default - enabled with its defaults */
  readonly saturation?: SaturationAlertOptions;
  /** @default - enabled with its defaults */
  readonly restarts?: RestartAlertOptions;
}

/** Props of {@link ServiceAlerts}. */
export interface ServiceAlertsProps extends ServiceAlertsOptions {
  /** The service to alert on. */
  readonly service: MeshService;
  /**
   * The mesh metrics to read.
   * @default - MeshMetrics.forScope(this): Linkerd's on Mesh.LINKERD, Istio's otherwise
   */
  readonly metrics?: MeshMetrics;
  /**
   * The PrometheusRule's name.
   * @default - the service's `names.alertRule` (`<service>-golden-signals`)
   */
  readonly name?: string;
  /**
   * Labels of the PrometheusRule object, for your Prometheus' `ruleSelector`.
   * @default - none
   */
  readonly ruleLabels?: Record<string, string>;
}

/**
 * Golden-signal alerts for one service, as a `PrometheusRule` in the service's namespace: error
 * ratio, latency percentile, traffic drop, absent metrics, CPU and memory against their limits,
 * and restarts. The request signals are measured where users see them ({@link MeshMetrics}).
 *
 * Request signals use the mesh's own metrics ({@link MeshMetrics}); container signals use cAdvisor
 * (`container_cpu_usage_seconds_total`, `container_memory_working_set_bytes`) and kube-state-metrics
 * (`kube_pod_container_resource_limits`, `kube_pod_container_status_restarts_total`). Every alert
 * carries `severity`, `service` and `namespace` labels (and `team` when set), a summary, a
 * description and, with a runbook base URL, a `runbook_url`.
 */
export class ServiceAlerts extends Construct {
  /** The generated rule. */
  public readonly rule: PrometheusRule;
  /** The metrics the request alerts read. */
  public readonly metrics: MeshMetrics;
  /** The alert names, in order. */
  public readonly alertNames: string[];
  /** The service alerted on. */
  public readonly service: MeshService;
  /** The error-ratio alert's threshold in percent; undefined when that alert is disabled. */
  public readonly errorRatioThresholdPercent?: number;
  /** The latency alert's percentile; undefined when that alert is disabled. */
  public readonly latencyPercentile?: number;
  /** The latency alert's threshold in milliseconds; undefined when that alert is disabled. */
  public readonly latencyThresholdMs?: number;

  public constructor(scope: Construct, id: string, props: ServiceAlertsProps) {
    super(scope, id);
    const svc = props.service;
    if (!MeshService.isMeshService(svc)) fail(this, 'service', `must be a MeshService, got ${quote(svc)}`, 'pass the MeshService to alert on');
    this.service = svc;
    this.metrics = props.metrics ?? MeshMetrics.forScope(this);
    const runbook = validateRunbookBaseUrl(this, props.runbookBaseUrl);
    const extra = validatePromLabels(this, 'alertLabels', props.alertLabels) ?? {};
    const base: Record<string, string> = { ...extra, service: svc.serviceName, namespace: svc.namespace, ...(props.team ? { team: props.team } : {}) };
    const podRe = props.podNameRegex ?? defaultPodNameRegex(svc);
    if (typeof podRe !== 'string' || podRe === '') fail(this, 'podNameRegex', `must be a non-empty regex, got ${quote(podRe)}`, 'pass e.g. "reviews-.*"');
    if (props.podNameRegex === undefined) this.node.addValidation({ validate: () => this.uncoveredPods(podRe) });
    const name = `${svc.serviceName}.${svc.namespace}`;
    const rules: Rule[] = [];
    const alert = (alertName: string, severity: AlertSeverity, expr: string, forDuration: Duration | undefined, summary: string, description: string) => {
      rules.push(Rule.alerting({
        alert: alertName,
        expr,
        for: forDuration,
        labels: { ...base, severity },
        annotations: { summary, description, ...runbookAnnotation(runbook, alertName) },
      }));
    };
    const m = this.metrics;

    const er = props.errorRatio ?? {};
    if (er.enabled !== false) {
      const pct = positivePercent(this, 'errorRatio.thresholdPercent', er.thresholdPercent ?? 5);
      this.errorRatioThresholdPercent = pct;
      const w = promDuration(this, 'errorRatio.window', er.window ?? Duration.minutes(5));
      alert('MeshServiceHighErrorRatio', er.severity ?? AlertSeverity.CRITICAL,
        `(${m.errorRatio(svc, w)}) > ${formatNumber(pct / 100)}`, er.for ?? Duration.minutes(5),
        `${name}: {{ $value | humanizePercentage }} of requests fail`,
        `More than ${formatNumber(pct)}% of the requests to ${name} failed over the last ${w} (${m.name} metrics).`);
    }

    const lat = props.latency ?? {};
    if (lat.enabled !== false) {
      const p = lat.percentile ?? 99;
      if (typeof p !== 'number' || !(p > 0 && p < 100)) fail(this, 'latency.percentile', `must be between 0 and 100 (exclusive), got ${quote(p)}`, 'pass e.g. 99');
      const ms = millisOf(this, 'latency.threshold', lat.threshold ?? Duration.millis(500));
      if (!(ms > 0)) fail(this, 'latency.threshold', `must be positive, got ${ms}ms`, 'pass e.g. Duration.millis(500)');
      this.latencyPercentile = p;
      this.latencyThresholdMs = ms;
      const w = promDuration(this, 'latency.window', lat.window ?? Duration.minutes(5));
      alert('MeshServiceHighLatency', lat.severity ?? AlertSeverity.WARNING,
        `${m.latencyQuantile(svc, Number((p / 100).toPrecision(6)), w)} > ${formatNumber(ms)}`, lat.for ?? Duration.minutes(10),
        `${name}: p${formatNumber(p)} latency is {{ $value | humanize }}ms`,
        `The ${formatNumber(p)}th percentile latency of ${name} has been above ${formatNumber(ms)}ms over ${w} windows.`);
    }

    const td = props.trafficDrop ?? {};
    if (td.enabled !== false) {
      const drop = positivePercent(this, 'trafficDrop.dropPercent', td.dropPercent ?? 50);
      const min = td.minimumRps ?? 1;
      if (typeof min !== 'number' || !(min >= 0)) fail(this, 'trafficDrop.minimumRps', `must be a number >= 0, got ${quote(min)}`, 'pass e.g. 1');
      const w = promDuration(this, 'trafficDrop.window', td.window ?? Duration.minutes(10));
      const ago = promDuration(this, 'trafficDrop.comparedTo', td.comparedTo ?? Duration.days(1));
      const earlier = m.requestRate(svc, w, { offset: ago });
      alert('MeshServiceTrafficDrop', td.severity ?? AlertSeverity.WARNING,
        `((${m.requestRate(svc, w)}) or vector(0)) < ${formatNumber(1 - drop / 100)} * ${earlier} and ${earlier} > ${formatNumber(min)}`,
        td.for ?? Duration.minutes(10),
        `${name}: traffic dropped to {{ $value | humanize }} req/s`,
        `Requests to ${name} fell by more than ${formatNumber(drop)}% compared with ${ago} ago.`);
    }

    const ab = props.metricsAbsent ?? {};
    if (ab.enabled !== false) {
      const w = promDuration(this, 'metricsAbsent.window', ab.window ?? Duration.minutes(10));
      alert('MeshServiceMetricsAbsent', ab.severity ?? AlertSeverity.WARNING,
        `absent_over_time(${m.presence(svc)}[${w}])`, ab.for ?? Duration.minutes(5),
        `${name}: no request metrics for ${w}`,
        `Prometheus has no ${m.requestsMetric} series for ${name} over the last ${w}: the proxies are not scraped (NetworkPolicy, monitor labels) or nothing reaches the service. The error-ratio and latency alerts cannot fire without data.`);
    }

    const sat = props.saturation ?? {};
    if (sat.enabled !== false) {
      const pods = [eq('namespace', svc.namespace), re('pod', podRe)];
      const containers = [...pods, ne('container', ''), ne('container', 'POD')];
      const keys = 'namespace, pod, container';
      const limit = (resource: string) => `max by (${keys}) (${selector('kube_pod_container_resource_limits', [...pods, eq('resource', resource)])})`;
      const cpu = positivePercent(this, 'saturation.cpuPercent', sat.cpuPercent ?? 90);
      const mem = positivePercent(this, 'saturation.memoryPercent', sat.memoryPercent ?? 90);
      alert('MeshServiceCpuNearLimit', sat.severity ?? AlertSeverity.WARNING,
        `max by (${keys}) (rate(${selector('container_cpu_usage_seconds_total', containers)}[5m])) / on (${keys}) ${limit('cpu')} > ${formatNumber(cpu / 100)}`,
        sat.for ?? Duration.minutes(15),
        `${name}: {{ $labels.pod }}/{{ $labels.container }} uses {{ $value | humanizePercentage }} of its CPU limit`,
        `A container of ${name} has used more than ${formatNumber(cpu)}% of its CPU limit; it is being throttled. Raise the limit or scale out.`);
      alert('MeshServiceMemoryNearLimit', sat.severity ?? AlertSeverity.WARNING,
        `max by (${keys}) (${selector('container_memory_working_set_bytes', containers)}) / on (${keys}) ${limit('memory')} > ${formatNumber(mem / 100)}`,
        sat.for ?? Duration.minutes(15),
        `${name}: {{ $labels.pod }}/{{ $labels.container }} uses {{ $value | humanizePercentage }} of its memory limit`,
        `A container of ${name} has a working set above ${formatNumber(mem)}% of its memory limit; it risks being OOM-killed.`);
    }

    const rs = props.restarts ?? {};
    if (rs.enabled !== false) {
      const n = rs.restarts ?? 3;
      if (!Number.isInteger(n) || n < 1) fail(this, 'restarts.restarts', `must be a whole number >= 1, got ${quote(n)}`, 'pass e.g. 3');
      const w = promDuration(this, 'restarts.window', rs.window ?? Duration.minutes(30));
      alert('MeshServiceRestarting', rs.severity ?? AlertSeverity.WARNING,
        `sum by (namespace, pod, container) (increase(${selector('kube_pod_container_status_restarts_total', [eq('namespace', svc.namespace), re('pod', podRe)])}[${w}])) >= ${n}`,
        rs.for,
        `${name}: {{ $labels.pod }}/{{ $labels.container }} restarted {{ $value | humanize }} times in ${w}`,
        `A container of ${name} restarted at least ${n} times in ${w}: check its logs and last termination reason.`);
    }

    if (rules.length === 0) fail(this, 'props', 'disable every alert', 'leave at least one alert enabled, or do not create ServiceAlerts');
    this.alertNames = rules.map((r) => r.alert!);
    this.rule = new PrometheusRule(this, 'Rule', {
      name: chosenName(this, 'name', 'monitoring.coreos.com/PrometheusRule', props.name, svc._names.alertRule),
      namespace: svc.namespace,
      labels: validateLabels(this, 'ruleLabels', props.ruleLabels),
    });
    this.rule.addGroup(`${svc.namespace}.${svc.serviceName}.golden-signals`, { rules });
  }

  /** A Deployment named after the regex was derived (ServiceWorkloads created later) would go unwatched. */
  private uncoveredPods(podRe: string): string[] {
    const missed = uncoveredDeployments(podRe, this.service);
    if (missed.length === 0) return [];
    return [`${this.node.path}: podNameRegex defaults to ${quote(podRe)}, which misses the pods of the Deployment${missed.length > 1 ? 's' : ''} ${missed.join(', ')} (named by a ServiceWorkloads created after it). `
      + `Fix: create the ServiceWorkloads before ${this.node.path}, or pass podNameRegex: ${quote(defaultPodNameRegex(this.service))}`];
  }
}

function positivePercent(scope: Construct, prop: string, value: number): number {
  validatePercent(scope, prop, value);
  if (value === 0 || value === 100) fail(scope, prop, `must be between 0 and 100 (exclusive), got ${quote(value)}`, 'pass e.g. 5');
  return value;
}
