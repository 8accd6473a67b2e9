import { IConstruct } from 'constructs';
import { fail, quote } from '../core/errors';
import { chosenName } from '../core/object-names';
import { dashboardConfigMapName, serviceDashboardUid } from '../observability/dashboards/dashboard-model';

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

/** What the default names are made of (a narrow view of the MeshService, which imports this file). */
interface NamedService extends IConstruct {
  readonly serviceName: string;
  readonly namespace: string;
  readonly ports: Array<{ readonly name: string }>;
}

/** The service's object names: the chosen ones, checked against their kinds' rules, and the defaults. */
/** @internal */
export function resolveServiceNames(s: NamedService, names: MeshServiceNames): Required<MeshServiceNames> {
  if (names === null || typeof names !== 'object' || Array.isArray(names)) fail(s, 'names', `must be a MeshServiceNames object, got ${quote(names)}`, 'pass e.g. names: { virtualService: "reviews-routes" }');
  const own = s.serviceName;
  return {
    virtualService: chosenName(s, 'names.virtualService', 'networking.istio.io/VirtualService', names.virtualService, own),
    destinationRule: chosenName(s, 'names.destinationRule', 'networking.istio.io/DestinationRule', names.destinationRule, own),
    httpRoute: chosenName(s, 'names.httpRoute', 'gateway.networking.k8s.io/HTTPRoute', names.httpRoute, own),
    referenceGrant: chosenName(s, 'names.referenceGrant', 'gateway.networking.k8s.io/ReferenceGrant', names.referenceGrant, `${own}-from-${s.namespace}`),
    authorizationPolicy: chosenName(s, 'names.authorizationPolicy', 'security.istio.io/AuthorizationPolicy', names.authorizationPolicy, own),
    ciliumNetworkPolicy: chosenName(s, 'names.ciliumNetworkPolicy', 'cilium.io/CiliumNetworkPolicy', names.ciliumNetworkPolicy, own),
    ingressNetworkPolicy: chosenName(s, 'names.ingressNetworkPolicy', 'networking.k8s.io/NetworkPolicy', names.ingressNetworkPolicy, `${own}-ingress`),
    egressNetworkPolicy: chosenName(s, 'names.egressNetworkPolicy', 'networking.k8s.io/NetworkPolicy', names.egressNetworkPolicy, `${own}-egress`),
    linkerdServers: linkerdServerNames(s, names.linkerdServers ?? {}),
    alertRule: chosenName(s, 'names.alertRule', 'monitoring.coreos.com/PrometheusRule', names.alertRule, `${own}-golden-signals`),
    dashboard: chosenName(s, 'names.dashboard', '/ConfigMap', names.dashboard, dashboardConfigMapName(serviceDashboardUid(s.namespace, own))),
  };
}

/** A Server name per port: the chosen ones (keys must be port names) and `<service>-<port name>`. */
function linkerdServerNames(s: NamedService, chosen: Record<string, string>): Record<string, string> {
  const ports = s.ports.map((p) => p.name);
  for (const key of Object.keys(chosen)) {
    if (!ports.includes(key)) fail(s, `names.linkerdServers.${key}`, `names no port of ${s.serviceName} (ports: ${ports.join(', ')})`, 'key the Server names by port name, e.g. { http: "reviews-server" }');
  }
  return Object.fromEntries(ports.map((p) => [p, chosenName(s, `names.linkerdServers.${p}`, 'policy.linkerd.io/Server', chosen[p], `${s.serviceName}-${p}`)]));
}
