import { ApiObject } from 'cdk8s';
import { fail, quote } from '../core/errors';
import { ClusterApp, serviceDeclarations } from './cluster-declarations';
import { GlobalService } from './global-service';
import { globalServicePath } from './global-service-checks';

/** What the policies need of the user's Service in a cluster that runs the service: its pods and the pod port of each declared port. */
export interface ServedPorts {
  readonly cluster: string;
  readonly selector: Record<string, string>;
  readonly targetPorts: number[];
}

/** The pods and pod ports behind the user's Service (whose ports the cross-cluster checks matched with the global service's). */
export function servedPorts(where: string, cluster: string, service: GlobalService, user: ApiObject): ServedPorts {
  const spec = user.toJson().spec ?? {};
  const path = user.node.path;
  if (!spec.selector || Object.keys(spec.selector).length === 0) {
    fail(where, `runsIn[${quote(cluster)}]`, `has the Service ${path} without a selector, so no pod of ${cluster} serves it`, 'give the Service the selector of the pods that run the service');
  }
  const targetPorts = service.ports.map((p) => {
    const port = (spec.ports ?? []).find((x: any) => x.port === p.port);
    const target = port.targetPort ?? port.port;
    if (typeof target !== 'number') {
      fail(where, `ports[${quote(p.name)}]`, `reaches the named pod port ${quote(target)} on ${path}, which the policy cannot name`, 'give the Service a numeric targetPort');
    }
    return target;
  });
  return { cluster, selector: { ...spec.selector }, targetPorts: [...new Set(targetPorts)].sort((a, b) => a - b) };
}

/**
 * The Service object the user declared for a global service in a cluster that runs it. The
 * cross-cluster checks found a Service object or a MeshService there; the policies need the object
 * (`why` says what for, in the error).
 */
export function userService(s: GlobalService, cluster: string, app: ClusterApp, why: string): ApiObject {
  const [object] = serviceDeclarations(app.app, app.meshChart, s.namespace, s.name).serviceObjects;
  if (!object) {
    fail(globalServicePath(s), 'runsIn', `names ${quote(cluster)}, whose App has the MeshService of ${s.namespace}/${s.name} but not its Service object, which ${why}`,
      `render the Service in mesh.app(${quote(cluster)}) (MeshService renderServices: true, or its ServiceWorkloads)`);
  }
  return object;
}
