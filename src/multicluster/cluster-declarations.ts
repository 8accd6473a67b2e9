import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { MeshService } from '../service/mesh-service';

/** A cluster's App and the chart in it that holds what the mesh renders. */
export interface ClusterApp {
  readonly app: App;
  readonly meshChart: Chart;
}

/** What one cluster's App declares of a service: its Service objects and its MeshServices (the mesh's own chart left out). */
export interface ServiceDeclarations {
  /** The `v1` Service objects of that name and namespace (a MeshService's rendered one included). */
  readonly serviceObjects: ApiObject[];
  /** The MeshServices of that host, which carry its routes and DestinationRule. */
  readonly meshServices: MeshService[];
}

/** A `{ port, name }` of a Service, from a MeshService or a Service object. */
export interface DeclaredPort {
  readonly name?: string;
  readonly port: number;
}

/** The Service objects and MeshServices of `namespace/name` in an App, outside the mesh's chart. */
export function serviceDeclarations(app: App, meshChart: Chart, namespace: string, name: string): ServiceDeclarations {
  const nodes = app.node.findAll().filter((n) => !inside(n, meshChart));
  return {
    serviceObjects: nodes.filter((n): n is ApiObject => n instanceof ApiObject && n.apiVersion === 'v1' && n.kind === 'Service'
      && n.name === name && (n.metadata.namespace ?? 'default') === namespace),
    meshServices: nodes.filter((n): n is MeshService => MeshService.isMeshService(n) && n.serviceName === name && n.namespace === namespace),
  };
}

/** The MeshServices of an App, the mesh's chart included. */
export function meshServicesOf(app: App): MeshService[] {
  return app.node.findAll().filter((n): n is MeshService => MeshService.isMeshService(n));
}

/** The ports a cluster declares for a service: its Service object's, else its MeshService's. */
export function declaredPorts(d: ServiceDeclarations): DeclaredPort[] | undefined {
  const object = d.serviceObjects[0];
  if (object) return ((object.toJson().spec?.ports ?? []) as DeclaredPort[]).map((p) => ({ name: p.name, port: p.port }));
  const meshService = d.meshServices[0];
  return meshService?.ports.map((p) => ({ name: p.name, port: p.port }));
}

function inside(node: IConstruct, scope: IConstruct): boolean {
  return node.node.scopes.includes(scope);
}
