import { MeshService } from '../../service/mesh-service';
import { MeshMetrics } from '../metrics/mesh-metrics';
import { eq, ne, re, selector } from '../prometheus/promql';
import { DashboardModel, PanelUnit, serviceDashboardUid } from './dashboard-model';
import { defaultPodNameRegex } from '../metrics/pod-names';

const W = '$__rate_interval';

/** Options of {@link serviceDashboard}. */
export interface ServiceDashboardOptions {
  /** @default - MeshMetrics.istio() */
  readonly metrics?: MeshMetrics;
  /** Pod-name regex for the saturation panels. @default - as in ServiceAlerts */
  readonly podNameRegex?: string;
  /** Add an error-budget panel for the service's SLOs. @default false */
  readonly showErrorBudget?: boolean;
}

/**
 * A service's dashboard: request rate, error ratio and p99 latency per version (so a canary can be
 * compared with stable), p50/p90/p99 latency, CPU and memory against their limits, and optionally
 * the remaining error budget of its SLOs.
 */
export function serviceDashboard(service: MeshService, options: ServiceDashboardOptions = {}): DashboardModel {
  const m = options.metrics ?? MeshMetrics.istio();
  const v = m.versionLabel;
  const d = new DashboardModel({
    uid: serviceDashboardUid(service.namespace, service.serviceName),
    title: `${service.serviceName}.${service.namespace}`,
    tags: ['cdk8s-mesh', m.name, service.namespace],
    description: `Golden signals of ${service.serviceName}.${service.namespace} from ${m.name} metrics, per version.`,
  });
  d.addPanel({ title: 'Request rate by version', unit: PanelUnit.REQUESTS_PER_SECOND, queries: [{ expr: m.requestRate(service, W, { by: [v] }), legend: `{{${v}}}` }] });
  d.addPanel({ title: 'Error ratio by version', unit: PanelUnit.PERCENT_UNIT, queries: [{ expr: m.errorRatio(service, W, { by: [v] }), legend: `{{${v}}}` }] });
  d.addPanel({
    title: 'Latency percentiles',
    unit: PanelUnit.MILLISECONDS,
    queries: [0.5, 0.9, 0.99].map((q) => ({ expr: m.latencyQuantile(service, q, W), legend: `p${Math.round(q * 100)}` })),
  });
  d.addPanel({ title: 'p99 latency by version', unit: PanelUnit.MILLISECONDS, queries: [{ expr: m.latencyQuantile(service, 0.99, W, { by: [v] }), legend: `{{${v}}}` }] });
  const podRe = options.podNameRegex ?? defaultPodNameRegex(service);
  const pods = [eq('namespace', service.namespace), re('pod', podRe)];
  const containers = [...pods, ne('container', ''), ne('container', 'POD')];
  const keys = 'namespace, pod, container';
  const limit = (r: string) => `max by (${keys}) (${selector('kube_pod_container_resource_limits', [...pods, eq('resource', r)])})`;
  d.addPanel({
    title: 'CPU usage / limit',
    unit: PanelUnit.PERCENT_UNIT,
    queries: [{ expr: `max by (${keys}) (rate(${selector('container_cpu_usage_seconds_total', containers)}[${W}])) / on (${keys}) ${limit('cpu')}`, legend: '{{pod}}/{{container}}' }],
  });
  d.addPanel({
    title: 'Memory working set / limit',
    unit: PanelUnit.PERCENT_UNIT,
    queries: [{ expr: `max by (${keys}) (${selector('container_memory_working_set_bytes', containers)}) / on (${keys}) ${limit('memory')}`, legend: '{{pod}}/{{container}}' }],
  });
  if (options.showErrorBudget) {
    d.addPanel({
      title: 'SLO error budget remaining',
      unit: PanelUnit.PERCENT_UNIT,
      width: 24,
      queries: [{ expr: selector('slo:error_budget:remaining_ratio', [eq('service', service.serviceName), eq('namespace', service.namespace)]), legend: '{{slo}}' }],
    });
  }
  return d;
}

/** Options of {@link meshOverviewDashboard}. */
export interface MeshOverviewDashboardOptions {
  /** @default - MeshMetrics.istio() */
  readonly metrics?: MeshMetrics;
  /** @default 'Service mesh overview' */
  readonly title?: string;
}

/** The mesh overview: request rate, error ratio and p99 latency of every service. */
export function meshOverviewDashboard(options: MeshOverviewDashboardOptions = {}): DashboardModel {
  const m = options.metrics ?? MeshMetrics.istio();
  const [nsLabel, nameLabel] = m.serviceGrouping;
  const legend = `{{${nameLabel}}}.{{${nsLabel}}}`;
  const d = new DashboardModel({
    uid: DashboardModel.uidFor(`mesh-overview-${m.name}`),
    title: options.title ?? 'Service mesh overview',
    tags: ['cdk8s-mesh', m.name],
    description: `Golden signals of every service in the mesh, from ${m.name} metrics.`,
  });
  d.addPanel({ title: 'Request rate by service', unit: PanelUnit.REQUESTS_PER_SECOND, width: 24, queries: [{ expr: m.meshRequestRate(W), legend }] });
  d.addPanel({ title: 'Error ratio by service', unit: PanelUnit.PERCENT_UNIT, queries: [{ expr: `${m.meshRequestRate(W, { errorsOnly: true })} / ${m.meshRequestRate(W)}`, legend }] });
  d.addPanel({ title: 'p99 latency by service', unit: PanelUnit.MILLISECONDS, queries: [{ expr: m.meshLatencyQuantile(0.99, W), legend }] });
  return d;
}

/** The mesh's Grafana dashboards, for every language: the class form of `serviceDashboard` and `meshOverviewDashboard`. */
export class MeshDashboards {
  /** One service's golden signals per version: request rate, error ratio, latency percentiles. */
  public static forService(service: MeshService, options: ServiceDashboardOptions = {}): DashboardModel {
    return serviceDashboard(service, options);
  }

  /** Every service of the mesh: request rate, error ratio and latency per service. */
  public static meshOverview(options: MeshOverviewDashboardOptions = {}): DashboardModel {
    return meshOverviewDashboard(options);
  }

  private constructor() {}
}
