import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as l1 from '../../../imports/monitoring.coreos.com';
import { millisOf } from '../../core/duration';
import { fail, quote } from '../../core/errors';
import { isPortName, validateDnsLabel } from '../../core/names';
import { MeshResource, MeshResourceProps } from '../../core/resource';
import { promDuration } from './promql';
import { Relabel } from './relabel';
import { validateLabels, validateLabelSelector } from '../../core/labels';

/** How a target is scraped. */
export enum ScrapeScheme {
  HTTP = 'http',
  HTTPS = 'https',
}

/** A scrape endpoint of a {@link ServiceMonitor} or {@link PodMonitor}. */
export interface ScrapeEndpoint {
  /**
   * The name of the port to scrape (a Service port for a ServiceMonitor, a container port for a PodMonitor).
   * @default - every port of the target (PodMonitor only; relabelings usually pick one)
   */
  readonly port?: string;
  /** @default '/metrics' */
  readonly path?: string;
  /** @default - Prometheus' scrape interval */
  readonly interval?: Duration;
  /** @default - Prometheus' scrape timeout */
  readonly scrapeTimeout?: Duration;
  /** @default ScrapeScheme.HTTP */
  readonly scheme?: ScrapeScheme;
  /** Rules applied to the target before scraping. @default - none */
  readonly relabelings?: Relabel[];
  /** Rules applied to the scraped samples. @default - none */
  readonly metricRelabelings?: Relabel[];
}

/** Which namespaces a monitor looks for targets in. */
export interface MonitorTargetNamespaces {
  /**
   * Look in every namespace.
   * @default false
   */
  readonly allNamespaces?: boolean;
  /**
   * Look in these namespaces.
   * @default - the monitor's own namespace
   */
  readonly namespaces?: string[];
}

/** Props of a {@link PodMonitor}. */
export interface PodMonitorProps extends MeshResourceProps, MonitorTargetNamespaces {
  /**
   * The labels of the pods to scrape.
   * @default - every pod (an empty selector)
   */
  readonly selector?: Record<string, string>;
  /** At least one endpoint. */
  readonly endpoints: ScrapeEndpoint[];
  /** The pod label whose value becomes the `job` label. @default - `<namespace>/<name>` of the monitor */
  readonly jobLabel?: string;
  /** Pod labels copied to the targets. @default - none */
  readonly podTargetLabels?: string[];
}

/** Props of a {@link ServiceMonitor}. */
export interface ServiceMonitorProps extends MeshResourceProps, MonitorTargetNamespaces {
  /** The labels of the Services whose endpoints are scraped. */
  readonly selector: Record<string, string>;
  /** At least one endpoint; each names a Service port. */
  readonly endpoints: ScrapeEndpoint[];
  /** The Service label whose value becomes the `job` label. @default - the Service name */
  readonly jobLabel?: string;
  /** Service labels copied to the targets. @default - none */
  readonly targetLabels?: string[];
}

function renderEndpoint(scope: Construct, i: number, e: ScrapeEndpoint, needPort: boolean): Record<string, unknown> {
  const prop = `endpoints[${i}]`;
  if (e.port !== undefined && !isPortName(e.port)) fail(scope, `${prop}.port`, `must be a port name, got ${quote(e.port)}`, 'pass the port name, e.g. "http-monitoring"');
  if (needPort && e.port === undefined) fail(scope, `${prop}.port`, 'is required', 'name the Service port to scrape');
  const path = e.path ?? '/metrics';
  if (!path.startsWith('/')) fail(scope, `${prop}.path`, `must start with "/", got ${quote(path)}`, 'pass e.g. "/metrics"');
  if (e.scheme !== undefined && !Object.values(ScrapeScheme).includes(e.scheme)) fail(scope, `${prop}.scheme`, `is not a ScrapeScheme, got ${quote(e.scheme)}`, 'use ScrapeScheme.HTTP or HTTPS');
  const rel = (list: Relabel[] | undefined, name: string) => {
    if (!list || list.length === 0) return undefined;
    return list.map((r, j) => {
      if (!(r instanceof Relabel)) fail(scope, `${prop}.${name}[${j}]`, `must be a Relabel, got ${quote(r)}`, 'use Relabel.keep(...), Relabel.replace(...), ...');
      return r.toConfig();
    });
  };
  const interval = e.interval ? promDuration(scope, `${prop}.interval`, e.interval) : undefined;
  const timeout = e.scrapeTimeout ? promDuration(scope, `${prop}.scrapeTimeout`, e.scrapeTimeout) : undefined;
  if (e.interval && e.scrapeTimeout && millisOf(scope, `${prop}.scrapeTimeout`, e.scrapeTimeout) > millisOf(scope, `${prop}.interval`, e.interval)) {
    fail(scope, `${prop}.scrapeTimeout`, `(${timeout}) is longer than the interval (${interval})`, 'use a timeout no longer than the interval');
  }
  return { port: e.port, path, interval, scrapeTimeout: timeout, scheme: e.scheme, relabelings: rel(e.relabelings, 'relabelings'), metricRelabelings: rel(e.metricRelabelings, 'metricRelabelings') };
}

function namespaceSelector(scope: Construct, t: MonitorTargetNamespaces): { any?: boolean; matchNames?: string[] } | undefined {
  if (t.allNamespaces && t.namespaces) fail(scope, 'namespaces', 'cannot be combined with allNamespaces', 'use one of them');
  if (t.allNamespaces) return { any: true };
  if (t.namespaces) {
    if (t.namespaces.length === 0) fail(scope, 'namespaces', 'must not be empty', 'list namespaces, or omit it for the monitor\'s own namespace');
    return { matchNames: [...t.namespaces].map((n) => validateDnsLabel(scope, 'namespaces', n)).sort() };
  }
  return undefined;
}

function endpoints(scope: Construct, list: ScrapeEndpoint[], needPort: boolean): Record<string, unknown>[] {
  if (!Array.isArray(list) || list.length === 0) fail(scope, 'endpoints', 'must list at least one endpoint', 'pass e.g. [{ port: "http-monitoring" }]');
  return list.map((e, i) => renderEndpoint(scope, i, e, needPort));
}

/**
 * A prometheus-operator `PodMonitor` (monitoring.coreos.com/v1): scrapes pods directly; the right
 * tool for sidecar proxies, which no Service exposes. See {@link MeshScrapeTargets} for presets.
 */
export class PodMonitor extends MeshResource {
  public readonly apiObject: ApiObject;

  public constructor(scope: Construct, id: string, props: PodMonitorProps) {
    super(scope, id, props);
    const spec = {
      selector: { matchLabels: validateLabels(this, 'selector', props.selector) },
      namespaceSelector: namespaceSelector(this, props),
      jobLabel: props.jobLabel,
      podTargetLabels: props.podTargetLabels ? [...props.podTargetLabels] : undefined,
      podMetricsEndpoints: endpoints(this, props.endpoints, false),
    };
    this.apiObject = new l1.PodMonitor(this, 'Resource', {
      metadata: this.metadata(props),
      spec: Lazy.any({ produce: () => spec }) as l1.PodMonitorSpec,
    });
  }
}

/**
 * A prometheus-operator `ServiceMonitor` (monitoring.coreos.com/v1): scrapes the endpoints of the
 * Services a selector picks, through a named Service port (e.g. istiod's `http-monitoring`).
 */
export class ServiceMonitor extends MeshResource {
  public readonly apiObject: ApiObject;

  public constructor(scope: Construct, id: string, props: ServiceMonitorProps) {
    super(scope, id, props);
    if (!props.selector || Object.keys(props.selector).length === 0) fail(this, 'selector', 'must not be empty', 'pass the labels of the Services to scrape');
    const spec = {
      selector: { matchLabels: validateLabelSelector(this, 'selector', props.selector) },
      namespaceSelector: namespaceSelector(this, props),
      jobLabel: props.jobLabel,
      targetLabels: props.targetLabels ? [...props.targetLabels] : undefined,
      endpoints: endpoints(this, props.endpoints, true),
    };
    this.apiObject = new l1.ServiceMonitor(this, 'Resource', {
      metadata: this.metadata(props),
      spec: Lazy.any({ produce: () => spec }) as l1.ServiceMonitorSpec,
    });
  }
}

