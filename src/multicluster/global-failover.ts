import { fail, quote } from '../core/errors';
import { istioLocalityLbSetting, istioOutlierDetection } from '../resilience/istio-render';
import { LocalityLoadBalancing } from '../resilience/locality-load-balancing';
import { OutlierDetection } from '../resilience/outlier-detection';
import { ClusterApp } from './cluster-declarations';
import { GlobalService } from './global-service';
import { globalServicePath } from './global-service-checks';
import { configClusters, istioHostService } from './istio-host-service';
import { MeshCluster } from './mesh-cluster';

/** Topology labels whose `label=value` form in failoverPriority names a value the mesh's clusters must have. */
const TOPOLOGY_VALUES: Record<string, (c: MeshCluster) => string | undefined> = {
  'topology.istio.io/cluster': (c) => c.name,
  'topology.istio.io/network': (c) => c.network,
  'topology.kubernetes.io/region': (c) => c.region,
  'topology.kubernetes.io/zone': (c) => c.zone,
};

/**
 * Checks a global service's failover against the mesh's clusters: a rule's `from` region is where
 * a cluster that runs or calls the service is, its `to` region where the service runs (failing
 * over to a region without endpoints does nothing); a `label=value` priority on a topology label
 * names a cluster, network, region or zone the service runs in.
 */
export function validateFailover(s: GlobalService, clusters: MeshCluster[]): void {
  if (!s.failover) return;
  const where = globalServicePath(s);
  const of = (names: string[]) => clusters.filter((c) => names.includes(c.name));
  const regions = (cs: MeshCluster[]) => [...new Set(cs.map((c) => c.region).filter((r): r is string => !!r))].sort();
  const noRegions = 'set region on the MeshClusters (the topology.kubernetes.io/region of their nodes)';
  s.failover.failoverRules.forEach((r, i) => {
    const calling = regions(of(s.clusters));
    if (!calling.includes(r.from)) {
      fail(where, `failover.failoverRules[${i}].from`, `is ${quote(r.from)}, a region no cluster running or calling ${s.name} is in (their regions: ${calling.join(', ') || 'none'}), so the rule never applies`,
        calling.length ? `use one of ${quote(calling)}` : noRegions);
    }
    const serving = regions(of(s.runsIn));
    if (!serving.includes(r.to)) {
      fail(where, `failover.failoverRules[${i}].to`, `is ${quote(r.to)}, a region ${s.name} does not run in (runsIn regions: ${serving.join(', ') || 'none'}), so failover would find no endpoints there`,
        serving.length ? `use one of ${quote(serving)}, or add a cluster of region ${quote(r.to)} to runsIn` : noRegions);
    }
  });
  s.failover.failoverPriority.forEach((l, i) => {
    const [key, value] = l.split('=');
    const valueOf = TOPOLOGY_VALUES[key];
    if (value === undefined || !valueOf) return;
    const known = [...new Set(of(s.runsIn).map(valueOf).filter((v): v is string => !!v))].sort();
    if (!known.includes(value)) {
      fail(where, `failover.failoverPriority[${i}]`, `prefers ${key}=${quote(value)}, which no cluster ${s.name} runs in has (they have: ${known.join(', ') || 'none'})`,
        `use one of ${quote(known.map((k) => `${key}=${k}`))}`);
    }
  });
}

/**
 * Renders a global service's failover into the DestinationRule of its host in the configuration
 * cluster of every cluster that runs or calls it (istiod reads DestinationRules from its own
 * cluster only; remote secrets give it endpoints, not configuration): the MeshService declared
 * there, or one the mesh declares in its chart. Outlier detection comes from that MeshService or
 * the global service; settings of the MeshService that differ from the global service's are an error.
 */
export function applyFailover(s: GlobalService, clusters: MeshCluster[], apps: ReadonlyMap<string, ClusterApp>): void {
  if (!s.failover) return;
  const where = globalServicePath(s);
  for (const cluster of configClusters(s.clusters, clusters)) {
    const { service, owner } = istioHostService(s, cluster, apps, 'failover');
    const policy = service.trafficPolicy();
    if (!policy.localityLoadBalancing) service._setPolicy(owner, 'localityLoadBalancing', s.failover);
    else if (!sameLocality(policy.localityLoadBalancing, s.failover)) {
      fail(where, 'failover', `differs from the locality failover ${service._policyOwner('localityLoadBalancing')!.node.path} sets on ${quote(cluster)}'s ${s.name}`,
        'set locality failover in one place: on the global service (all clusters) or on the MeshService, not both');
    }
    if (policy.outlierDetection && s.outlierDetection && !sameOutlierDetection(policy.outlierDetection, s.outlierDetection)) {
      fail(where, 'outlierDetection', `differs from the one ${service._policyOwner('outlierDetection')!.node.path} sets on ${quote(cluster)}'s ${s.name}`,
        'set outlier detection in one place, or make both the same');
    }
    if (!policy.outlierDetection && !s.outlierDetection) {
      fail(where, 'outlierDetection', `is not set, and ${quote(cluster)}'s ${service.node.path} has none of its own, so Istio would never eject an endpoint and never fail over`,
        'set outlierDetection on the global service, or add a CircuitBreakerPolicy with outlier detection to that MeshService');
    }
    if (!policy.outlierDetection) service._setPolicy(owner, 'outlierDetection', s.outlierDetection!);
  }
}

function sameLocality(a: LocalityLoadBalancing, b: LocalityLoadBalancing): boolean {
  return JSON.stringify(istioLocalityLbSetting(a)) === JSON.stringify(istioLocalityLbSetting(b));
}

function sameOutlierDetection(a: OutlierDetection, b: OutlierDetection): boolean {
  return JSON.stringify(istioOutlierDetection('', '', a)) === JSON.stringify(istioOutlierDetection('', '', b));
}
