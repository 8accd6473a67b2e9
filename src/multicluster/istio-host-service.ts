import { Construct, IConstruct } from 'constructs';
import { fail, quote } from '../core/errors';
import { Mesh } from '../core/mesh';
import { MeshService } from '../service/mesh-service';
import { Protocol, protocolFromPortName } from '../service/protocol';
import { ServicePort } from '../service/service-port';
import { ClusterApp, serviceDeclarations } from './cluster-declarations';
import { GlobalService } from './global-service';
import { globalServicePath } from './global-service-checks';
import { ClusterRole, MeshCluster } from './mesh-cluster';

/** The MeshService that carries a global service's host in one cluster, and the construct that attaches the global service's intents to it. */
export interface HostService {
  readonly service: MeshService;
  /** `multicluster/global-<ns>-<name>`: named as the owner of what the global service sets. */
  readonly owner: IConstruct;
}

/** The cluster whose API server holds the Istio configuration of a cluster's proxies: itself, or a remote's primary. */
export function configCluster(c: MeshCluster): string {
  return c.role === ClusterRole.REMOTE ? c.primary! : c.name;
}

/** The configuration clusters of the named clusters, sorted and once each. */
export function configClusters(names: string[], clusters: MeshCluster[]): string[] {
  return [...new Set(clusters.filter((c) => names.includes(c.name)).map(configCluster))].sort();
}

/**
 * The host's MeshService in a cluster, whose one VirtualService and DestinationRule the global
 * service's intents go into: the one the cluster's App declares, or one the mesh declares in its
 * chart (rendering nothing until an intent is set) when the App has none. `intent` names the prop
 * in errors.
 */
export function istioHostService(s: GlobalService, cluster: string, apps: ReadonlyMap<string, ClusterApp>, intent: string): HostService {
  const where = globalServicePath(s);
  const { app, meshChart } = apps.get(cluster)!;
  const id = `global-${s.namespace}-${s.name}`;
  const existing = meshChart.node.tryFindChild(id);
  const owner = existing ?? new Construct(meshChart, id);
  const declared = serviceDeclarations(app, meshChart, s.namespace, s.name).meshServices;
  if (declared.length > 1) fail(where, intent, `has ${declared.length} MeshServices for ${s.namespace}/${s.name} in ${quote(cluster)} (${declared.map((m) => m.node.path).join(', ')})`, 'declare one MeshService per host and cluster');
  const service = declared[0] ?? (owner.node.tryFindChild(s.name) as MeshService | undefined)
    ?? new MeshService(owner, s.name, { namespace: s.namespace, ports: s.ports.map((p, i) => servicePort(where, i, p.name, p.port)) });
  if (service.mesh !== Mesh.ISTIO) fail(service, 'mesh', `is ${quote(service.mesh)}, but the global service ${s.namespace}/${s.name} renders its ${intent} for Istio`, 'render the cluster\'s charts for Istio');
  return { service, owner };
}

function servicePort(where: string, i: number, name: string, port: number): ServicePort {
  const protocol = protocolFromPortName(name);
  if (!Object.values(Protocol).includes(protocol as Protocol)) {
    fail(where, `ports[${i}].name`, `is ${quote(name)}, from which Istio detects no protocol the mesh's DestinationRule can carry`, 'name the port by protocol, e.g. "http" or "grpc-api"');
  }
  return ServicePort.of(protocol as Protocol, port, { name });
}
