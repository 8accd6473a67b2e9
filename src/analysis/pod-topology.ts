import { IndexedWorkload } from './indexed';
import type { ManifestIndex } from './manifest-index';

/** Node labels Istio copies onto the labels of the pods on the node (`AugmentLabels`). */
const NODE_LOCALITY_LABELS = ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone'];
const HOSTNAME = 'kubernetes.io/hostname';
/** Labels Istio adds from its own configuration (cluster and network IDs), never known from manifests. */
const MESH_LABELS = ['topology.istio.io/cluster', 'topology.istio.io/network'];

/** The labels Istio sees on a workload's pods: its own, plus what Istio adds from the node, with the keys that stay unknown. */
export interface PodLabelView {
  readonly labels: Readonly<Record<string, string>>;
  /** Topology labels whose value the manifests do not tell (the node is not known or not in the set). */
  readonly unknown: ReadonlySet<string>;
}

/**
 * The labels Istio matches subsets against for a workload's pods. Istio adds the node's locality
 * labels and `kubernetes.io/hostname` to each pod; they are known for a Pod bound to a node
 * (`spec.nodeName`) whose Node is in the set, and unknown for pod templates.
 */
export function podLabelView(w: IndexedWorkload, nodes: ReadonlyMap<string, Readonly<Record<string, string>>>): PodLabelView {
  const labels: Record<string, string> = { ...w.podLabels };
  const unknown = new Set<string>(MESH_LABELS.filter((k) => labels[k] === undefined));
  const node = w.nodeName ? nodes.get(w.nodeName) : undefined;
  if (w.nodeName) labels[HOSTNAME] = w.nodeName;
  else unknown.add(HOSTNAME);
  for (const key of NODE_LOCALITY_LABELS) {
    const value = node?.[key];
    if (typeof value === 'string' && value !== '') labels[key] = value;
    else if (!node) unknown.add(key);
  }
  return { labels, unknown };
}

/** The labels of the Nodes of the set, by name. */
export function nodeLabels(index: ManifestIndex): Map<string, Readonly<Record<string, string>>> {
  return new Map(index.ofKind('', 'Node').map((n) => [n.metadata.name, n.metadata.labels ?? {}]));
}

/** True if a subset's labels select the pods: each label equal, or a topology label whose value is unknown (and not empty). */
export function subsetSelects(subset: Readonly<Record<string, string>>, view: PodLabelView): boolean {
  return Object.entries(subset).every(([k, v]) => view.labels[k] === v || (view.labels[k] === undefined && view.unknown.has(k) && v !== ''));
}
