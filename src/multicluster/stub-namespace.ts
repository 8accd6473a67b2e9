import { ApiObject, Chart } from 'cdk8s';

/** The id prefix of a Namespace the mesh renders for a service's objects, which the mesh drops when a user chart of the cluster declares the namespace. */
export const STUB_NAMESPACE_ID = 'namespace-';

/** The namespace of a service's objects in a cluster's mesh chart, once per chart. */
export function renderServiceNamespace(chart: Chart, name: string): void {
  const id = `${STUB_NAMESPACE_ID}${name}`;
  if (!chart.node.tryFindChild(id)) new ApiObject(chart, id, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}
