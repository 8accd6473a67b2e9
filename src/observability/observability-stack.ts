import { Construct } from 'constructs';
import { fail, quote } from '../core/errors';
import { Mesh, meshOf } from '../core/mesh';
import { declareMetricsScraper } from '../core/metrics-scrapers';
import { validateDnsLabel } from '../core/names';
import { validateSelector } from '../security/selector';
import { MeshService } from '../service/mesh-service';
import { AlertRouting, AlertRoutingOptions } from './alerting/alert-routing';
import { ServiceAlerts, ServiceAlertsOptions } from './alerting/service-alerts';
import { DashboardSidecarLabel, GrafanaDashboard } from './dashboards/grafana-dashboard';
import { meshOverviewDashboard, serviceDashboard } from './dashboards/mesh-dashboards';
import { MeshMetrics } from './metrics/mesh-metrics';
import { PodMonitor, ServiceMonitor } from './prometheus/monitors';
import { IstioSidecarMetrics, MeshScrapeTargets } from './prometheus/scrape-presets';
import { ServiceLevelObjective, ServiceLevelObjectiveOptions } from './slo/service-level-objective';
import { AccessLoggingOptions, Telemetry, TracingOptions } from './telemetry/telemetry';
import { isLabelValue, validateLabels } from '../core/labels';
import { ObservabilityStackNames } from './observability-stack-names';

/** Istio's merged metrics port (pilot-agent, `prometheus.io/port`). */
const ISTIO_MERGED_METRICS_PORT = 15020;
/** Envoy's own Prometheus port (`http-envoy-prom`). */
const ISTIO_ENVOY_METRICS_PORT = 15090;
/** The Linkerd proxy's admin port (`linkerd-admin`, `/metrics`). */
const LINKERD_ADMIN_PORT = 4191;

/** An SLO of the stack. */
export interface StackObjective extends ServiceLevelObjectiveOptions {}

/** Props of an {@link ObservabilityStack}. */
export interface ObservabilityStackProps {
  /** The services to observe. At least one. */
  readonly services: MeshService[];
  /**
   * Where the monitors and dashboard ConfigMaps go.
   * @default 'monitoring'
   */
  readonly namespace?: string;
  /**
   * The mesh metrics alerts, SLOs and dashboards read.
   * @default - MeshMetrics.forScope(this)
   */
  readonly metrics?: MeshMetrics;
  /**
   * Mesh-wide tracing (an Istio Telemetry `mesh-default` in istio-system). Istio only.
   * @default - none
   */
  readonly tracing?: TracingOptions;
  /**
   * Mesh-wide access logging (in the same Telemetry). Istio only.
   * @default - none
   */
  readonly accessLogging?: AccessLoggingOptions;
  /**
   * Settings of every service's golden-signal alerts.
   * @default - every alert with its defaults
   */
  readonly alerts?: ServiceAlertsOptions;
  /** @default - none */
  readonly objectives?: StackObjective[];
  /**
   * Labels of every PrometheusRule, for your Prometheus' `ruleSelector`, in addition to
   * `release: <prometheusRelease>`.
   * @default - only the release label
   */
  readonly ruleLabels?: Record<string, string>;
  /**
   * The Helm release of your kube-prometheus-stack: the monitors and rules get the label
   * `release: <prometheusRelease>`, which its default `serviceMonitorSelector`,
   * `podMonitorSelector` and `ruleSelector` select (without it the Prometheus ignores them and
   * no alert can fire). The empty string adds no label (set your own `monitorLabels` and `ruleLabels`).
   * @default 'kube-prometheus-stack' (the release name of the chart's install instructions)
   */
  readonly prometheusRelease?: string;
  /**
   * The namespace the Prometheus pods run in. A deny-by-default namespace of the services
   * (StrictMtlsNamespace in the same chart) admits them to the proxies' metrics ports.
   * @default - the stack's `namespace`
   */
  readonly prometheusNamespace?: string;
  /**
   * The labels of the Prometheus pods (prometheus-operator labels them `app.kubernetes.io/name: prometheus`).
   * @default { 'app.kubernetes.io/name': 'prometheus' }
   */
  readonly prometheusPodLabels?: Record<string, string>;
  /**
   * Which Istio sidecar endpoint to scrape.
   * @default IstioSidecarMetrics.MERGED
   */
  readonly istioSidecarMetrics?: IstioSidecarMetrics;
  /**
   * Labels of the monitors, for your Prometheus' `podMonitorSelector` / `serviceMonitorSelector`,
   * in addition to `release: <prometheusRelease>`.
   * @default - only the release label
   */
  readonly monitorLabels?: Record<string, string>;
  /**
   * Create the scrape monitors (disable when another stack or your platform already scrapes the mesh).
   * @default true
   */
  readonly scrapeTargets?: boolean;
  /**
   * Create the mesh overview dashboard (one per mesh and namespace is enough).
   * @default true
   */
  readonly overviewDashboard?: boolean;
  /**
   * The label Grafana's dashboard sidecar watches for.
   * @default { key: 'grafana_dashboard', value: '1' }
   */
  readonly dashboardSidecar?: DashboardSidecarLabel;
  /**
   * @default ['grafana_dashboard', '1']
   * @deprecated use `dashboardSidecar: { key, value }` (jsii has no tuples)
   * @jsii ignore
   */
  readonly dashboardSidecarLabel?: [string, string];
  /**
   * Alert routing: one AlertmanagerConfig `mesh-alert-routing` per namespace of the services.
   * @default - none
   */
  readonly alertRouting?: AlertRoutingOptions;
  /**
   * Names for the objects rendered once, to keep those of existing objects.
   * @default - see ObservabilityStackNames
   */
  readonly names?: ObservabilityStackNames;
}

/**
 * Observability for a set of mesh services, from the same service model as their traffic rules:
 * mesh-wide tracing and access logs (Istio), scraping of the proxies and the control plane,
 * golden-signal alerts and SLOs per service, a Grafana dashboard per service plus a mesh overview,
 * and alert routing.
 */
export class ObservabilityStack extends Construct {
  public readonly metrics: MeshMetrics;
  /** The mesh-wide Telemetry, when tracing or access logging is set. */
  public readonly telemetry?: Telemetry;
  public readonly monitors: Array<PodMonitor | ServiceMonitor> = [];
  public readonly serviceAlerts: ServiceAlerts[] = [];
  public readonly objectives: ServiceLevelObjective[] = [];
  public readonly dashboards: GrafanaDashboard[] = [];
  public readonly alertRouting: AlertRouting[] = [];

  public constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id);
    if (!Array.isArray(props.services) || props.services.length === 0) fail(this, 'services', 'must list at least one MeshService', 'pass the services to observe');
    const seen = new Set<string>();
    for (const [i, s] of props.services.entries()) {
      if (!MeshService.isMeshService(s)) fail(this, `services[${i}]`, `must be a MeshService, got ${quote(s)}`, 'pass MeshService constructs');
      const key = `${s.namespace}/${s.serviceName}`;
      if (seen.has(key)) fail(this, `services[${i}]`, `repeats ${key}`, 'list each service once');
      seen.add(key);
    }
    const namespace = validateDnsLabel(this, 'namespace', props.namespace ?? 'monitoring');
    const names = props.names ?? {};
    validateLabels(this, 'monitorLabels', props.monitorLabels);
    validateLabels(this, 'ruleLabels', props.ruleLabels);
    this.metrics = props.metrics ?? MeshMetrics.forScope(this);
    const mesh = meshOf(this);
    const istio = mesh === Mesh.ISTIO || mesh === Mesh.GATEWAY_API;

    if (props.tracing || props.accessLogging) {
      if (!istio) fail(this, props.tracing ? 'tracing' : 'accessLogging', `cannot be rendered for ${mesh}: it is an Istio Telemetry setting`, 'drop it (Linkerd traces with its linkerd-jaeger extension)');
      this.telemetry = Telemetry.meshWide(this, 'Telemetry', { name: names.telemetry, tracing: props.tracing, accessLogging: props.accessLogging });
    }

    const release = props.prometheusRelease ?? 'kube-prometheus-stack';
    if (!isLabelValue(release)) {
      fail(this, 'prometheusRelease', `must be a label value (at most 63 alphanumerics, '-', '_', '.'), got ${quote(release)}`, 'pass your kube-prometheus-stack Helm release name, e.g. "kube-prometheus-stack"');
    }
    const releaseLabel: Record<string, string> = release === '' ? {} : { release };
    const ruleLabels = { ...releaseLabel, ...props.ruleLabels };
    const monitorOptions = { namespace, labels: { ...releaseLabel, ...props.monitorLabels } };
    const named = (name: string | undefined) => ({ ...monitorOptions, name });
    this.admitScraper(props, namespace);
    if (props.scrapeTargets === false) {
      // scraped elsewhere
    } else if (this.metrics.name === 'linkerd') {
      this.monitors.push(MeshScrapeTargets.linkerdProxies(this, 'LinkerdProxies', named(names.linkerdProxiesMonitor)));
    } else {
      this.monitors.push(MeshScrapeTargets.istioSidecars(this, 'IstioSidecars', { ...named(names.istioSidecarsMonitor), metrics: props.istioSidecarMetrics }));
      this.monitors.push(MeshScrapeTargets.istioControlPlane(this, 'Istiod', named(names.istiodMonitor)));
    }

    for (const s of props.services) {
      this.serviceAlerts.push(new ServiceAlerts(this, `Alerts-${s.namespace}-${s.serviceName}`, { ...props.alerts, service: s, metrics: this.metrics, ruleLabels }));
    }
    for (const [i, o] of (props.objectives ?? []).entries()) {
      if (!props.services.includes(o.service)) fail(this, `objectives[${i}].service`, `is ${o.service?.serviceName ?? quote(o.service)}, which is not one of the stack's services`, 'add the service to services');
      const slo = new ServiceLevelObjective(this, `Slo-${i}`, { ...o, metrics: this.metrics, ruleLabels, runbookBaseUrl: o.runbookBaseUrl ?? props.alerts?.runbookBaseUrl, team: o.team ?? props.alerts?.team });
      if (this.objectives.some((x) => x.sloName === slo.sloName)) fail(this, `objectives[${i}].name`, `repeats the SLO name ${quote(slo.sloName)}`, 'give each SLO a unique name');
      this.objectives.push(slo);
    }

    const dash = { namespace, sidecar: props.dashboardSidecar, sidecarLabel: props.dashboardSidecarLabel };
    if (props.overviewDashboard ?? true) {
      this.dashboards.push(new GrafanaDashboard(this, 'Overview', { ...dash, name: names.overviewDashboard, dashboard: meshOverviewDashboard({ metrics: this.metrics }) }));
    }
    for (const s of props.services) {
      const withSlo = (props.objectives ?? []).some((o) => o.service === s);
      this.dashboards.push(new GrafanaDashboard(this, `Dashboard-${s.namespace}-${s.serviceName}`, {
        ...dash,
        name: s._names.dashboard,
        dashboard: serviceDashboard(s, { metrics: this.metrics, podNameRegex: props.alerts?.podNameRegex, showErrorBudget: withSlo }),
      }));
    }

    if (props.alertRouting) {
      for (const ns of [...new Set(props.services.map((s) => s.namespace))].sort()) {
        this.alertRouting.push(new AlertRouting(this, `AlertRouting-${ns}`, { ...props.alertRouting, name: names.alertRouting, namespace: ns }));
      }
    }
  }

  /**
   * Declares the Prometheus to the deny-by-default namespaces of the services in this chart: their
   * default-deny NetworkPolicy admits it to the proxies' metrics ports. Istio's 15020 (merged
   * metrics) and 15090 (Envoy) are served by the sidecar outside the inbound redirection (Istio
   * excludes them from capture), so PeerAuthentication and AuthorizationPolicy do not apply to them
   * and only the NetworkPolicy blocks the scrape. Linkerd's admin port 4191 is also subject to the
   * namespace's default-inbound-policy, which this does not change (see docs/observability.md).
   */
  private admitScraper(props: ObservabilityStackProps, namespace: string): void {
    const prometheusNamespace = validateDnsLabel(this, 'prometheusNamespace', props.prometheusNamespace ?? namespace);
    const podLabels = validateSelector(this, 'prometheusPodLabels', props.prometheusPodLabels ?? { 'app.kubernetes.io/name': 'prometheus' });
    const ports = this.metrics.name === 'linkerd' ? [LINKERD_ADMIN_PORT] : [ISTIO_MERGED_METRICS_PORT, ISTIO_ENVOY_METRICS_PORT];
    declareMetricsScraper(this, {
      namespace: prometheusNamespace, podLabels, ports,
      targetNamespaces: [...new Set(props.services.map((s) => s.namespace))].sort(),
    });
  }
}
