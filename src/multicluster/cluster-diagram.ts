import { MermaidEdgeStyle, MermaidFlowchart, MermaidNodeShape } from '../diagram/mermaid';
import { GlobalService } from './global-service';
import { ClusterRole, MeshCluster } from './mesh-cluster';

/**
 * A Mermaid flowchart of a multi-cluster mesh: one subgraph per cluster (role and network), the
 * services each runs or stubs, and what crosses clusters: service calls (through the east-west
 * gateway when the networks differ) and a remote's xDS connection to its primary's istiod.
 */
export function multiClusterDiagram(clusters: MeshCluster[], services: GlobalService[]): string {
  const chart = new MermaidFlowchart('LR');
  chart.addClass('stub', 'stroke-dasharray:4 3');
  const byName = new Map(clusters.map((c) => [c.name, c]));
  const node = (cluster: string, ...parts: string[]) => MermaidFlowchart.nodeId(cluster, ...parts);
  for (const c of clusters) {
    const group = chart.addGroup(node(c.name), `${c.name} (${c.role}, network ${c.network})`);
    if (c.role === ClusterRole.PRIMARY) chart.addNode(node(c.name, 'istiod'), 'istiod', { group, shape: MermaidNodeShape.HEXAGON });
    for (const s of services) {
      if (s.runsIn.includes(c.name)) chart.addNode(node(c.name, s.namespace, s.name), `${s.namespace}/${s.name}`, { group, shape: MermaidNodeShape.ROUNDED });
      else if (s.stubbedIn.includes(c.name)) chart.addNode(node(c.name, s.namespace, s.name), `${s.namespace}/${s.name} (stub)`, { group, shape: MermaidNodeShape.ROUNDED, cssClass: 'stub' });
    }
  }
  for (const c of clusters) {
    if (c.role === ClusterRole.REMOTE) chart.addEdge(node(c.name), node(c.primary!, 'istiod'), { label: 'xDS :15012 via istiod-gateway', style: MermaidEdgeStyle.DOTTED });
  }
  for (const s of services) {
    for (const caller of s.calledFrom) {
      for (const target of s.runsIn.filter((t) => t !== caller)) {
        const crossNetwork = byName.get(caller)!.network !== byName.get(target)!.network;
        chart.addEdge(node(caller, s.namespace, s.name), node(target, s.namespace, s.name), {
          label: crossNetwork ? 'mTLS via east-west gateway :15443' : 'mTLS pod to pod',
          style: crossNetwork ? MermaidEdgeStyle.THICK : MermaidEdgeStyle.SOLID,
        });
      }
    }
  }
  return chart.render();
}
