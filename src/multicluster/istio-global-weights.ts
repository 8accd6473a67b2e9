import { fail, quote } from '../core/errors';
import { isHttpProtocol, Protocol, protocolFromPortName } from '../service/protocol';
import { RouteTo } from '../traffic/route-action';
import { ClusterApp } from './cluster-declarations';
import { GlobalService } from './global-service';
import { globalServicePath } from './global-service-checks';
import { configClusters, istioHostService } from './istio-host-service';
import { MeshCluster } from './mesh-cluster';

/**
 * Refuses weights Istio cannot render as one HTTP route: a VirtualService's `http` routes apply to
 * HTTP and gRPC ports only, and a route of a service with several ports must name one.
 */
export function validateIstioWeights(s: GlobalService): void {
  if (s.weights.length === 0) return;
  const where = globalServicePath(s);
  if (s.ports.length > 1) {
    fail(where, 'weights', `are rendered on Istio as one route per Service port, but ${s.name} has ${s.ports.length} ports (${s.ports.map((p) => p.name).join(', ')})`,
      'leave weights out and split per port with the MeshService\'s cluster subsets and routes (RouteTo.clusterSplit with a port)');
  }
  const protocol = protocolFromPortName(s.ports[0].name);
  if (!Object.values(Protocol).includes(protocol as Protocol) || !isHttpProtocol(protocol as Protocol)) {
    fail(where, 'weights', `split HTTP requests, but port ${quote(s.ports[0].name)} is not HTTP or gRPC`, 'name the port http, http-*, grpc or grpc-*, or leave weights out');
  }
}

/**
 * Renders a global service's weights as the default route of its host's MeshService in the
 * configuration cluster of every calling cluster (the caller's istiod reads routes from its own
 * cluster): a cluster subset per serving cluster with a weight, and `RouteTo.clusterSplit`. A
 * cluster subset the MeshService already has is reused; a default route it already has is a
 * conflict the routing table reports, naming both.
 */
export function applyIstioWeights(s: GlobalService, clusters: MeshCluster[], apps: ReadonlyMap<string, ClusterApp>): void {
  const weights = s.weights.filter((w) => w.weight > 0);
  if (weights.length === 0) return;
  for (const cluster of configClusters(s.calledFrom, clusters)) {
    const { service, owner } = istioHostService(s, cluster, apps, 'weights');
    for (const w of weights) {
      if (!service.clusterSubsets.some((c) => c.cluster === w.cluster)) service.addClusterSubset(w.cluster);
    }
    service._setDefaultRoute(owner, RouteTo.clusterSplit(Object.fromEntries(weights.map((w) => [w.cluster, w.weight]))));
  }
}
