/**
 * The one ordering table of Argo CD sync waves: which wave each kind the library renders goes into,
 * and why. Argo CD applies a wave only when every object of the earlier waves is synced and healthy
 * (lower waves first on apply, higher waves first on prune), so an object whose kind has no health
 * check (every Istio kind) counts as done the moment the API server accepts it.
 *
 * Make before break: what something refers to is applied one wave before the thing that refers to
 * it, so on apply the target exists first and on prune (reverse order) the referrer goes first.
 */

/** The sync waves of the ordering table, lowest first. */
export enum SyncWave {
  /** CustomResourceDefinitions and cluster admission policies: every later object may need them. */
  PREREQUISITES = 'prerequisites',
  /** Namespaces: every namespaced object needs its namespace. */
  NAMESPACES = 'namespaces',
  /** Identity, configuration and the policies that protect workloads, before any pod starts. */
  IDENTITY_AND_POLICY = 'identity-and-policy',
  /** Workloads, Services and what defines their subsets and gateways, before any route uses them. */
  WORKLOADS_AND_DESTINATIONS = 'workloads-and-destinations',
  /** Routes (VirtualService, HTTPRoute, ...): they route to the subsets and Services of the wave before. */
  ROUTES = 'routes',
  /** What uses the routes: per-route policies and controllers that take the routes over. */
  ROUTE_CONSUMERS = 'route-consumers',
  /**
   * Istio VirtualServices with a route that delegates to another VirtualService (a root in front of
   * a Flagger Canary's), and HTTPRoutes on the Service parent of a Flagger Canary's HTTPRoute: after
   * the controllers of the wave before have generated their delegates.
   */
  DELEGATING_ROUTES = 'delegating-routes',
}

/** The `argocd.argoproj.io/sync-wave` value of each wave. */
export const SYNC_WAVE_NUMBER: Record<SyncWave, number> = {
  [SyncWave.PREREQUISITES]: -3,
  [SyncWave.NAMESPACES]: -2,
  [SyncWave.IDENTITY_AND_POLICY]: -1,
  [SyncWave.WORKLOADS_AND_DESTINATIONS]: 0,
  [SyncWave.ROUTES]: 1,
  [SyncWave.ROUTE_CONSUMERS]: 2,
  [SyncWave.DELEGATING_ROUTES]: 3,
};


/** One place in the table: kinds of one API group (`''` for core), their wave and the reason. */
export interface SyncWavePlace {
  readonly group: string;
  readonly kinds: string[];
  readonly wave: SyncWave;
  readonly reason: string;
}

/** The ordering table. Kinds not listed stay in Argo CD's default wave 0 (WORKLOADS_AND_DESTINATIONS). */
export const SYNC_WAVE_TABLE: SyncWavePlace[] = [
  // CRDs before any custom resource of theirs; admission policies before the objects they check.
  { group: 'apiextensions.k8s.io', kinds: ['CustomResourceDefinition'], wave: SyncWave.PREREQUISITES, reason: 'a custom resource cannot be applied before its CRD' },
  { group: 'admissionregistration.k8s.io', kinds: ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'], wave: SyncWave.PREREQUISITES, reason: 'admission policies guard the objects applied after them, so they must be in force first' },
  { group: '', kinds: ['Namespace'], wave: SyncWave.NAMESPACES, reason: 'every namespaced object needs its namespace' },
  // Identity and configuration that pods read at start.
  { group: '', kinds: ['ServiceAccount', 'ConfigMap', 'Secret', 'ResourceQuota', 'LimitRange'], wave: SyncWave.IDENTITY_AND_POLICY, reason: 'pods read their ServiceAccount, ConfigMaps and Secrets at start, and quotas apply at admission' },
  { group: 'rbac.authorization.k8s.io', kinds: ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'], wave: SyncWave.IDENTITY_AND_POLICY, reason: 'workloads and controllers need their permissions when they start' },
  // Deny-by-default policies before the workloads they protect: no pod ever runs open.
  { group: 'security.istio.io', kinds: ['PeerAuthentication', 'AuthorizationPolicy', 'RequestAuthentication'], wave: SyncWave.IDENTITY_AND_POLICY, reason: 'mTLS and authorization are in force before the pods they protect start (secure by default, never a window open)' },
  { group: 'networking.k8s.io', kinds: ['NetworkPolicy'], wave: SyncWave.IDENTITY_AND_POLICY, reason: 'network policies are in force before the pods they protect start' },
  { group: 'cilium.io', kinds: ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'], wave: SyncWave.IDENTITY_AND_POLICY, reason: 'network policies are in force before the pods they protect start' },
  { group: 'argoproj.io', kinds: ['AnalysisTemplate', 'ClusterAnalysisTemplate'], wave: SyncWave.IDENTITY_AND_POLICY, reason: 'a Rollout\'s analysis reads its templates when a step starts' },
  // Workloads, Services and subsets: healthy (Deployments rolled out) before a route sends traffic.
  { group: 'apps', kinds: ['Deployment', 'StatefulSet', 'DaemonSet'], wave: SyncWave.WORKLOADS_AND_DESTINATIONS, reason: 'Argo CD waits for them to roll out before the routes of the next wave send traffic to them' },
  { group: '', kinds: ['Service'], wave: SyncWave.WORKLOADS_AND_DESTINATIONS, reason: 'routes and DestinationRules name Services; Argo CD applies Services before Deployments within a wave' },
  { group: 'networking.istio.io', kinds: ['DestinationRule', 'ServiceEntry', 'Sidecar', 'Gateway', 'EnvoyFilter'], wave: SyncWave.WORKLOADS_AND_DESTINATIONS, reason: 'a VirtualService routing to a subset before its DestinationRule defines it gets 503s (istio#8420); hosts and gateways exist before routes name them' },
  { group: 'gateway.networking.k8s.io', kinds: ['Gateway', 'ReferenceGrant'], wave: SyncWave.WORKLOADS_AND_DESTINATIONS, reason: 'routes attach to Gateways and cross namespaces through ReferenceGrants that must exist first' },
  { group: 'autoscaling', kinds: ['HorizontalPodAutoscaler'], wave: SyncWave.WORKLOADS_AND_DESTINATIONS, reason: 'scales the Deployment of the same wave' },
  { group: 'autoscaling.k8s.io', kinds: ['VerticalPodAutoscaler'], wave: SyncWave.WORKLOADS_AND_DESTINATIONS, reason: 'sizes the Deployment of the same wave' },
  { group: 'policy', kinds: ['PodDisruptionBudget'], wave: SyncWave.WORKLOADS_AND_DESTINATIONS, reason: 'protects the Deployment of the same wave' },
  { group: 'telemetry.istio.io', kinds: ['Telemetry'], wave: SyncWave.WORKLOADS_AND_DESTINATIONS, reason: 'configures the proxies of the same wave; nothing refers to it' },
  { group: 'monitoring.coreos.com', kinds: ['ServiceMonitor', 'PodMonitor', 'PrometheusRule'], wave: SyncWave.WORKLOADS_AND_DESTINATIONS, reason: 'select the Services and pods of the same wave; nothing waits for them' },
  // Routes: after the subsets, Services and Gateways they route to.
  { group: 'networking.istio.io', kinds: ['VirtualService'], wave: SyncWave.ROUTES, reason: 'routes to DestinationRule subsets and Services, which must exist first (istio#8420); removed before them on prune' },
  { group: 'gateway.networking.k8s.io', kinds: ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute'], wave: SyncWave.ROUTES, reason: 'backendRefs name one Service per version, which must exist (and be ready) first' },
  { group: 'policy.linkerd.io', kinds: ['HTTPRoute'], wave: SyncWave.ROUTES, reason: 'backendRefs name Services that must exist first' },
  { group: 'split.smi-spec.io', kinds: ['TrafficSplit'], wave: SyncWave.ROUTES, reason: 'splits traffic to Services that must exist first' },
  // What uses the routes.
  { group: 'policy.linkerd.io', kinds: ['Server', 'AuthorizationPolicy', 'MeshTLSAuthentication', 'NetworkAuthentication', 'HTTPLocalRateLimitPolicy'], wave: SyncWave.ROUTE_CONSUMERS, reason: 'a Server replaces the namespace default policy for its port, so it comes in one wave with the authorizations (which may target the routes) that let callers in' },
  { group: 'argoproj.io', kinds: ['Rollout'], wave: SyncWave.ROUTE_CONSUMERS, reason: 'its controller takes over the VirtualService, DestinationRule or HTTPRoute it names; without them the Rollout is Degraded (InvalidSpec) and the sync never finishes' },
  { group: 'flagger.app', kinds: ['Canary'], wave: SyncWave.ROUTE_CONSUMERS, reason: 'Flagger takes over the routes and Services it names' },
];
