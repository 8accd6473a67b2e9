/**
 * The names of the objects an `ObservabilityStack` renders once (not per service). A service's
 * alert rule and dashboard are named on the service (`MeshServiceNames.alertRule`, `dashboard`),
 * an SLO's rule on the objective (`ruleName`).
 */
export interface ObservabilityStackNames {
  /**
   * The mesh-wide Telemetry (Istio, with `tracing` or `accessLogging`).
   * @default 'mesh-default'
   */
  readonly telemetry?: string;
  /**
   * The PodMonitor of the Istio sidecars.
   * @default 'istio-sidecars'
   */
  readonly istioSidecarsMonitor?: string;
  /**
   * The ServiceMonitor of istiod.
   * @default 'istiod'
   */
  readonly istiodMonitor?: string;
  /**
   * The PodMonitor of the Linkerd proxies.
   * @default 'linkerd-proxies'
   */
  readonly linkerdProxiesMonitor?: string;
  /**
   * The ConfigMap of the mesh overview dashboard.
   * @default `grafana-dashboard-<uid>`
   */
  readonly overviewDashboard?: string;
  /**
   * The AlertmanagerConfig in each namespace of the services (`alertRouting`).
   * @default 'mesh-alert-routing'
   */
  readonly alertRouting?: string;
}
