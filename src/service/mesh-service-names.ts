/**
 * The names of the objects rendered for a {@link MeshService}, for teams that keep the names of
 * existing objects (migrating from YAML, or beside objects that other tools own). Each is checked
 * against its kind's rules when the service is created, and against every other object of the
 * charts applied together at synth. Objects that point at them (policies' targets, backends) follow.
 *
 * The Kubernetes Service itself is `serviceName` (also the mesh host), and a version's Service is
 * `addVersion(name, { serviceName })`.
 */
export interface MeshServiceNames {
  /**
   * The Istio VirtualService holding the service's routing table.
   * @default - the service name
   */
  readonly virtualService?: string;
  /**
   * The Istio DestinationRule holding the service's subsets and traffic policy.
   * @default - the service name
   */
  readonly destinationRule?: string;
  /**
   * The HTTPRoute holding the service's routing table (Gateway API, Linkerd, Cilium).
   * @default - the service name
   */
  readonly httpRoute?: string;
  /**
   * The ReferenceGrants that let the service's HTTPRoute forward to Services in other namespaces
   * (one in each such namespace, all with this name).
   * @default `<service>-from-<namespace>`
   */
  readonly referenceGrant?: string;
  /**
   * The Istio ALLOW AuthorizationPolicy that `ServiceAuthorization` renders for this service.
   * @default - the service name
   */
  readonly authorizationPolicy?: string;
  /**
   * The CiliumNetworkPolicy that `ServiceAuthorization` renders for this service (Cilium).
   * @default - the service name
   */
  readonly ciliumNetworkPolicy?: string;
  /**
   * The Kubernetes NetworkPolicy admitting this service's callers (`ServiceAuthorization`).
   * @default `<service>-ingress`
   */
  readonly ingressNetworkPolicy?: string;
  /**
   * The Kubernetes NetworkPolicy limiting what this service may call, when it is a caller in a
   * `ServiceAuthorization`.
   * @default `<service>-egress`
   */
  readonly egressNetworkPolicy?: string;
  /**
   * The Linkerd Servers of the service's ports, by port name (`{ http: 'reviews-server' }`),
   * which `ServiceAuthorization` and `LocalRateLimit` share and their policies target. The
   * per-rule objects of an authorization (MeshTLSAuthentication, AuthorizationPolicy, HTTPRoute)
   * are named `<server>-<rule name>`.
   * @default - `<service>-<port name>` for each port
   */
  readonly linkerdServers?: Record<string, string>;
  /**
   * The PrometheusRule of the service's golden-signal alerts (`ServiceAlerts`, `ObservabilityStack`).
   * @default `<service>-golden-signals`
   */
  readonly alertRule?: string;
  /**
   * The ConfigMap of the service's Grafana dashboard (`ObservabilityStack`).
   * @default `grafana-dashboard-mesh-<namespace>-<service>`
   */
  readonly dashboard?: string;
}
