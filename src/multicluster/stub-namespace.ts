import { ApiObject, Chart } from 'cdk8s';
import { GlobalService } from './global-service';

/** The id prefix of a Namespace the mesh renders for a service's objects, which the mesh drops when a user chart of the cluster declares the namespace. */
export const STUB_NAMESPACE_ID = 'namespace-';

/** The namespace of a service's objects in a cluster's mesh chart, once per chart. */
export function renderServiceNamespace(chart: Chart, name: string): void {
  const id = `${STUB_NAMESPACE_ID}${name}`;
  if (!chart.node.tryFindChild(id)) new ApiObject(chart, id, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/**
 * In a cluster that calls a service running elsewhere: its namespace (once) and a selector-less
 * Service of the same name and ports, so the name resolves and the mesh routes to the remote
 * endpoints (Istio: istio/istio#17087; Cilium: a global service exists in every cluster that uses it).
 * `annotations` are the mesh's (Cilium's `service.cilium.io/*`).
 */
export function renderStub(chart: Chart, s: GlobalService, annotations?: Record<string, string>): void {
  renderServiceNamespace(chart, s.namespace);
  new ApiObject(chart, `stub-${s.namespace}-${s.name}`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: s.name, namespace: s.namespace, labels: { app: s.name }, annotations },
    spec: { ports: s.ports.map((p) => ({ name: p.name, port: p.port })) },
  });
}
