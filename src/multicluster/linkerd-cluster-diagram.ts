import { MermaidEdgeStyle, MermaidFlowchart, MermaidNodeShape } from '../diagram/mermaid';
import { federatedServiceName, LinkerdExport, LinkerdServicePlan, mirrorServiceName } from './linkerd-cluster-objects';
import { MeshCluster } from './mesh-cluster';

/**
 * A Mermaid flowchart of a Linkerd multicluster mesh: one subgraph per cluster, the services each
 * runs or stubs, the Services the service mirror creates in the calling clusters (`<name>-<cluster>`,
 * `<name>-federated`), the caller's route to them, and how each mirror reaches its cluster
 * (through that cluster's linkerd-gateway, or pod to pod on one network).
 */
export function linkerdClusterDiagram(clusters: MeshCluster[], plans: LinkerdServicePlan[]): string {
  const chart = new MermaidFlowchart('LR');
  chart.addClass('stub', 'stroke-dasharray:4 3');
  chart.addClass('mirror', 'fill:#eef');
  const node = (cluster: string, ...parts: string[]) => MermaidFlowchart.nodeId(cluster, ...parts);
  const groups = new Map(clusters.map((c) => [c.name, chart.addGroup(node(c.name), `${c.name} (network ${c.network})`)]));
  const network = new Map(clusters.map((c) => [c.name, c.network]));
  for (const { service: s, routes, exports } of plans) {
    const where = `MultiClusterMesh/${s.namespace}/${s.name}`;
    const own = (c: string) => node(c, s.namespace, s.name);
    for (const c of s.runsIn) chart.addNode(own(c), `${s.namespace}/${s.name}`, { group: groups.get(c), shape: MermaidNodeShape.ROUNDED });
    for (const [caller, backends] of routes) {
      if (!s.runsIn.includes(caller) && !chart.hasNode(own(caller))) chart.addNode(own(caller), `${s.namespace}/${s.name} (stub)`, { group: groups.get(caller), shape: MermaidNodeShape.ROUNDED, cssClass: 'stub' });
      for (const b of backends) {
        if (b.name === s.name) continue; // the caller's own Service
        chart.addNode(node(caller, s.namespace, b.name), `${s.namespace}/${b.name} (mirror)`, { group: groups.get(caller), cssClass: 'mirror' });
        chart.addEdge(own(caller), node(caller, s.namespace, b.name), { label: `HTTPRoute weight ${b.weight}`, style: MermaidEdgeStyle.DOTTED });
      }
      for (const target of s.runsIn.filter((t) => t !== caller)) {
        const mirror = exports.get(target) === LinkerdExport.FEDERATED ? federatedServiceName(where, s.name) : mirrorServiceName(where, s.name, target);
        if (!chart.hasNode(node(caller, s.namespace, mirror))) chart.addNode(node(caller, s.namespace, mirror), `${s.namespace}/${mirror} (mirror)`, { group: groups.get(caller), cssClass: 'mirror' });
        const viaGateway = network.get(caller) !== network.get(target);
        chart.addEdge(node(caller, s.namespace, mirror), own(target), {
          label: viaGateway ? 'mTLS via linkerd-gateway :4143' : 'mTLS pod to pod',
          style: viaGateway ? MermaidEdgeStyle.THICK : MermaidEdgeStyle.SOLID,
        });
      }
    }
  }
  return chart.render();
}
