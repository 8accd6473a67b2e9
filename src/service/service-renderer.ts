import type { ResolvedRoute } from '../traffic/routing-table';
import type { TrafficPolicySetting } from '../traffic/traffic-policy';
import type { ClusterSubset } from './cluster-subset';
import type { ServiceVersion } from './service-version';

/**
 * Turns a service's attached intents into the resources of one mesh. A renderer creates its
 * resources the first time an intent needs them, and rejects at once an intent its mesh cannot
 * express. The resources' specs are computed lazily at synth from the service's tables.
 */
export interface IServiceRenderer {
  /** Called when a route (or the default route) is attached, after it was resolved. */
  routeAdded(route: ResolvedRoute): void;
  /** Called when service-wide route defaults (retries, timeout) are set. */
  routeDefaultsSet(): void;
  /** Called when a version is added. */
  versionAdded(version: ServiceVersion): void;
  /** Called when a cluster subset is added; a mesh that cannot select endpoints by cluster throws. */
  clusterSubsetAdded(subset: ClusterSubset): void;
  /** Called when a traffic-policy setting is attached, for the service or one version. */
  policySet(setting: TrafficPolicySetting, version?: ServiceVersion): void;
  /** Called when the catch-all route is handed to a controller's route (see MeshService._delegateCatchAll). */
  catchAllDelegated?(): void;
}

