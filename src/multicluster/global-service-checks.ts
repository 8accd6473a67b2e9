import { fail, quote } from '../core/errors';
import { MeshService } from '../service/mesh-service';
import { ClusterApp, declaredPorts, meshServicesOf, serviceDeclarations } from './cluster-declarations';
import { GlobalService } from './global-service';

/** Where a global service's errors point: the mesh and the service. */
export function globalServicePath(s: GlobalService): string {
  return `MultiClusterMesh/${s.namespace}/${s.name}`;
}

/**
 * The cross-cluster checks at synth, on the clusters' Apps as the user built them:
 * - every cluster a global service runs in declares it (a Service object or a MeshService), with the
 *   service's ports;
 * - no cluster that gets the stub declares the Service itself (two objects of one name);
 * - every route of a MeshService to a MeshService of another cluster's App names a global service
 *   called from the route's cluster, so that the name resolves there;
 * - every cluster subset of a MeshService names a cluster its global service runs in.
 */
export function checkGlobalServices(services: GlobalService[], clusters: ReadonlyMap<string, ClusterApp>): void {
  for (const s of services) {
    const where = globalServicePath(s);
    for (const c of s.runsIn) {
      const { app, meshChart } = clusters.get(c)!;
      const declared = serviceDeclarations(app, meshChart, s.namespace, s.name);
      if (declared.serviceObjects.length === 0 && declared.meshServices.length === 0) {
        fail(where, 'runsIn', `names ${quote(c)}, but mesh.app(${quote(c)}) declares no Service ${s.namespace}/${s.name} (no Service object, no MeshService)`,
          `add the service's workloads and Service to mesh.app(${quote(c)}), or remove ${quote(c)} from runsIn`);
      }
      const ports = declaredPorts(declared)!;
      for (const p of s.ports) {
        if (ports.some((q) => q.port === p.port && (q.name === undefined || q.name === p.name))) continue;
        fail(where, 'ports', `lists ${p.name}(${p.port}), which ${quote(c)}'s Service ${s.namespace}/${s.name} does not have (ports: ${ports.map((q) => `${q.name ?? ''}(${q.port})`).join(', ')})`,
          `list the ports the Service has where it runs, with the same names (the stub gets them)`);
      }
    }
    for (const c of s.stubbedIn) {
      const { app, meshChart } = clusters.get(c)!;
      const [own] = serviceDeclarations(app, meshChart, s.namespace, s.name).serviceObjects;
      if (own) {
        fail(where, 'calledFrom', `names ${quote(c)}, where the mesh renders the stub Service ${s.namespace}/${s.name}, but mesh.app(${quote(c)}) declares that Service too (${own.node.path})`,
          `add ${quote(c)} to runsIn if its workloads serve it, or remove the Service from mesh.app(${quote(c)})`);
      }
    }
  }
  checkCrossClusterRoutes(services, clusters);
  checkClusterSubsets(services, clusters);
}

/** A MeshService's cluster subsets select the endpoints of clusters its global service runs in (else the subset is empty and routes to it fail). */
function checkClusterSubsets(services: GlobalService[], clusters: ReadonlyMap<string, ClusterApp>): void {
  for (const { app } of clusters.values()) {
    for (const m of meshServicesOf(app)) {
      if (m.clusterSubsets.length === 0) continue;
      const global = services.find((s) => s.name === m.serviceName && s.namespace === m.namespace);
      const names = m.clusterSubsets.map((c) => c.cluster);
      if (!global) {
        fail(m, 'cluster subsets', `select endpoints by cluster (${names.join(', ')}), but ${m.namespace}/${m.serviceName} is no global service of the mesh, so no cluster but this one serves it`,
          `declare it with mesh.addGlobalService({ name: ${quote(m.serviceName)}, namespace: ${quote(m.namespace)}, ports, runsIn: ${quote(names)} }), or remove the cluster subsets`);
      }
      for (const c of m.clusterSubsets) {
        if (global.runsIn.includes(c.cluster)) continue;
        fail(m, `cluster subset ${c.name}`, `selects the endpoints in cluster ${quote(c.cluster)}, where ${m.serviceName} does not run (runsIn: ${global.runsIn.join(', ')}), so routes to it find no endpoints`,
          `add ${quote(c.cluster)} to the global service's runsIn, or remove the subset and its routes`);
      }
    }
  }
}

/** A route in one cluster to a MeshService declared in another cluster's App needs that service's name to resolve in the route's cluster. */
function checkCrossClusterRoutes(services: GlobalService[], clusters: ReadonlyMap<string, ClusterApp>): void {
  const clusterOf = new Map([...clusters].map(([name, c]) => [c.app as unknown, name]));
  for (const [cluster, { app }] of clusters) {
    for (const from of meshServicesOf(app)) {
      for (const route of from.routing.attached) {
        const targets = [...route.backends, ...(route.mirror ? [route.mirror.backend] : [])].map((b) => b.service).filter((t): t is MeshService => !!t);
        for (const target of targets) {
          const owner = clusterOf.get(target.node.root);
          if (owner === undefined || owner === cluster) continue;
          const global = services.find((s) => s.name === target.serviceName && s.namespace === target.namespace);
          if (global?.clusters.includes(cluster)) continue;
          fail(route.owner, 'route', `sends traffic to ${target.namespace}/${target.serviceName}, declared in cluster ${quote(owner)} (${target.node.path}), `
            + `which is no global service called from ${quote(cluster)}, so its name does not resolve there`,
          `declare it with mesh.addGlobalService({ name: ${quote(target.serviceName)}, namespace: ${quote(target.namespace)}, ports, runsIn: [${quote(owner)}], calledFrom: [${quote(cluster)}] })`
            + (global ? `, or add ${quote(cluster)} to the calledFrom of the one declared` : ''));
        }
      }
    }
  }
}
