import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { MeshResourceProps } from '../../core/resource';
import { MonitorTargetNamespaces, PodMonitor, ServiceMonitor } from './monitors';
import { Relabel } from './relabel';

/** Which endpoint of an Istio sidecar Prometheus scrapes. */
export enum IstioSidecarMetrics {
  /**
   * The merged endpoint (`prometheus.io/port`, 15020, `/stats/prometheus`): Envoy's and the
   * application's metrics, when Istio's metrics merging is on (the default).
   */
  MERGED = 'merged',
  /** Envoy's own endpoint, the `http-envoy-prom` container port (15090, `/stats/prometheus`). */
  ENVOY = 'envoy',
}

/** Options of the scrape presets. The `name` defaults to the preset's name. */
export interface MeshScrapeOptions extends MeshResourceProps, MonitorTargetNamespaces {
  /** @default Duration.seconds(15) */
  readonly interval?: Duration;
}

/** Options of {@link MeshScrapeTargets.istioSidecars}. */
export interface IstioSidecarScrapeOptions extends MeshScrapeOptions {
  /** @default IstioSidecarMetrics.MERGED */
  readonly metrics?: IstioSidecarMetrics;
}

/** Options of {@link MeshScrapeTargets.linkerdProxies}. */
export interface LinkerdProxyScrapeOptions extends MeshScrapeOptions {
  /** The namespace of the Linkerd control plane (the pods' `linkerd.io/control-plane-ns` label). @default 'linkerd' */
  readonly controlPlaneNamespace?: string;
}

/**
 * prometheus-operator monitors for the mesh's proxies and control planes, following the scrape
 * configurations Istio and Linkerd publish. Unless `namespaces` is given, they find targets in
 * every namespace (your Prometheus must be allowed to select monitors in their namespace).
 */
export class MeshScrapeTargets {
  /**
   * Istio sidecars (and gateways): a PodMonitor `istio-sidecars` that keeps the `istio-proxy`
   * container. Scrape MERGED or ENVOY, never both (the merged endpoint includes Envoy's metrics).
   */
  public static istioSidecars(scope: Construct, id: string, options: IstioSidecarScrapeOptions = {}): PodMonitor {
    const interval = options.interval ?? Duration.seconds(15);
    const mode = options.metrics ?? IstioSidecarMetrics.MERGED;
    const common = { name: options.name ?? 'istio-sidecars', namespace: options.namespace, labels: options.labels, annotations: options.annotations, ...targets(options) };
    if (mode === IstioSidecarMetrics.ENVOY) {
      return new PodMonitor(scope, id, { ...common, jobLabel: undefined, endpoints: [{ port: 'http-envoy-prom', path: '/stats/prometheus', interval }] });
    }
    // Istio's own prometheus-operator sample: the address comes from the prometheus.io/port
    // annotation the injector sets (15020 with metrics merging), for IPv6 and IPv4 pod IPs.
    return new PodMonitor(scope, id, {
      ...common,
      endpoints: [{
        path: '/stats/prometheus',
        interval,
        relabelings: [
          Relabel.keep(['__meta_kubernetes_pod_container_name'], 'istio-proxy'),
          Relabel.keep(['__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape'], 'true'),
          Relabel.replace({
            sourceLabels: ['__meta_kubernetes_pod_annotation_prometheus_io_port', '__meta_kubernetes_pod_ip'],
            regex: '(\\d+);(([A-Fa-f0-9]{1,4}::?){1,7}[A-Fa-f0-9]{1,4})',
            replacement: '[$2]:$1',
            targetLabel: '__address__',
          }),
          Relabel.replace({
            sourceLabels: ['__meta_kubernetes_pod_annotation_prometheus_io_port', '__meta_kubernetes_pod_ip'],
            regex: '(\\d+);((([0-9]+?)(\\.|$)){4})',
            replacement: '$2:$1',
            targetLabel: '__address__',
          }),
        ],
      }],
    });
  }

  /** istiod: a ServiceMonitor `istiod` on the `http-monitoring` port (15014) of Services labelled `istio: pilot`. */
  public static istioControlPlane(scope: Construct, id: string, options: MeshScrapeOptions = {}): ServiceMonitor {
    return new ServiceMonitor(scope, id, {
      name: options.name ?? 'istiod',
      namespace: options.namespace,
      labels: options.labels,
      annotations: options.annotations,
      ...(options.allNamespaces || options.namespaces ? targets(options) : { namespaces: ['istio-system'] }),
      selector: { istio: 'pilot' },
      targetLabels: ['app'],
      endpoints: [{ port: 'http-monitoring', interval: options.interval ?? Duration.seconds(15) }],
    });
  }

  /**
   * Linkerd proxies: a PodMonitor `linkerd-proxies` on the `linkerd-admin` port (4191, `/metrics`) of
   * the `linkerd-proxy` container. Like Linkerd's own Prometheus configuration, it copies the pod's
   * labels onto the series (`linkerd.io/proxy-deployment` → `deployment`, `app` → `app`, `version`
   * → `version`): the alerts, SLOs and dashboards select a service's series by them.
   */
  public static linkerdProxies(scope: Construct, id: string, options: LinkerdProxyScrapeOptions = {}): PodMonitor {
    const cp = options.controlPlaneNamespace ?? 'linkerd';
    return new PodMonitor(scope, id, {
      name: options.name ?? 'linkerd-proxies',
      namespace: options.namespace,
      labels: options.labels,
      annotations: options.annotations,
      ...targets(options),
      endpoints: [{
        port: 'linkerd-admin',
        path: '/metrics',
        interval: options.interval ?? Duration.seconds(15),
        relabelings: [
          Relabel.keep(['__meta_kubernetes_pod_container_name', '__meta_kubernetes_pod_label_linkerd_io_control_plane_ns'], `linkerd-proxy;${cp.replace(/[.]/g, '\\.')}`),
          Relabel.replace({ sourceLabels: ['__meta_kubernetes_pod_label_linkerd_io_proxy_job'], targetLabel: 'k8s_job' }),
          Relabel.labelDrop('__meta_kubernetes_pod_label_linkerd_io_proxy_job'),
          Relabel.labelMap('__meta_kubernetes_pod_label_linkerd_io_proxy_(.+)'),
          Relabel.labelDrop('__meta_kubernetes_pod_label_linkerd_io_proxy_(.+)'),
          Relabel.labelMap('__meta_kubernetes_pod_label_linkerd_io_(.+)'),
          Relabel.labelMap('__meta_kubernetes_pod_label_(.+)', '__tmp_pod_label_$1'),
          Relabel.labelMap('__tmp_pod_label_linkerd_io_(.+)', '__tmp_pod_label_$1'),
          Relabel.labelDrop('__tmp_pod_label_linkerd_io_(.+)'),
          Relabel.labelMap('__tmp_pod_label_(.+)'),
        ],
      }],
    });
  }
}

function targets(options: MonitorTargetNamespaces): MonitorTargetNamespaces {
  return options.namespaces ? { namespaces: options.namespaces } : { allNamespaces: options.allNamespaces ?? true };
}
