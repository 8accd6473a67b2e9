import { MermaidEdgeStyle, MermaidFlowchart, MermaidNodeShape } from '../diagram/mermaid';
import { ClusterAffinity, GlobalService } from './global-service';
import { MeshCluster } from './mesh-cluster';

/**
 * A Mermaid flowchart of a Cilium ClusterMesh: one subgraph per cluster (name and ID) with its
 * clustermesh-apiserver, the global services each runs or stubs, and what crosses clusters: the
 * agents reading each other's clustermesh-apiserver, and calls from a calling cluster to the
 * backends of the clusters that share them (pod to pod, policy by cluster label).
 */
export function ciliumClusterDiagram(clusters: MeshCluster[], services: GlobalService[]): string {
  const chart = new MermaidFlowchart('LR');
  chart.addClass('stub', 'stroke-dasharray:4 3');
  const node = (cluster: string, ...parts: string[]) => MermaidFlowchart.nodeId(cluster, ...parts);
  for (const c of clusters) {
    const group = chart.addGroup(node(c.name), `${c.name} (Cilium cluster ${c.clusterId})`);
    chart.addNode(node(c.name, 'clustermesh-apiserver'), 'clustermesh-apiserver', { group, shape: MermaidNodeShape.HEXAGON });
    for (const s of services) {
      if (s.runsIn.includes(c.name)) chart.addNode(node(c.name, s.namespace, s.name), `${s.namespace}/${s.name} (global, shared)`, { group, shape: MermaidNodeShape.ROUNDED });
      else if (s.stubbedIn.includes(c.name)) chart.addNode(node(c.name, s.namespace, s.name), `${s.namespace}/${s.name} (stub, not shared)`, { group, shape: MermaidNodeShape.ROUNDED, cssClass: 'stub' });
    }
  }
  for (const a of clusters) {
    for (const b of clusters.filter((x) => x !== a)) {
      chart.addEdge(node(a.name), node(b.name, 'clustermesh-apiserver'), { label: 'agents read services and identities (etcd, mTLS)', style: MermaidEdgeStyle.DOTTED });
    }
  }
  for (const s of services) {
    const preference = s.affinity === ClusterAffinity.NONE ? '' : `, affinity ${s.affinity}`;
    for (const caller of s.calledFrom) {
      const callers = s.remoteCallers.filter((c) => c.cluster === caller).map((c) => `${c.namespace}/${c.serviceAccount}`);
      for (const target of s.runsIn.filter((t) => t !== caller)) {
        chart.addEdge(node(caller, s.namespace, s.name), node(target, s.namespace, s.name), {
          label: `pod to pod${preference}${callers.length ? `; allowed: ${callers.join(', ')}` : ''}`,
          style: MermaidEdgeStyle.THICK,
        });
      }
    }
  }
  return chart.render();
}
