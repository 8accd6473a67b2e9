import { IAnalyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout, labelsText } from '../report';
import { nodeLabels, podLabelView, subsetSelects } from '../pod-topology';

/**
 * IST0173: a DestinationRule subset whose labels select none of the pods of its Service.
 *
 * Only checked when the Service is in the set and at least one workload of the set runs its pods:
 * a set of mesh resources alone (or with workloads of other services) says nothing about the
 * pods that exist, so it is never reported there.
 *
 * As in Istio, a pod's labels include what Istio adds from its node (`topology.kubernetes.io/region`,
 * `.../zone`, `topology.istio.io/subzone`, `kubernetes.io/hostname`): taken from the Node of a Pod
 * bound to one, and assumed to match when unknown (pod templates are not bound to a node yet).
 */
export const subsetPodsAnalyzer: IAnalyzer = {
  name: 'destinationrule-subset-selects-pods',
  codes: ['IST0173'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    const nodes = nodeLabels(index);
    for (const dr of index.destinationRules()) {
      if (dr.subsets.length === 0) continue;
      const service = index.serviceByHost(dr.host);
      if (!service?.selector) continue;
      const pods = index.workloadsMatching(service.namespace, service.selector);
      if (pods.length === 0) continue;
      const views = pods.map((w) => podLabelView(w, nodes));
      for (const subset of dr.subsets) {
        if (views.some((v) => subsetSelects(subset.labels, v))) continue;
        out.push(findingAbout(index, dr.manifest, 'IST0173', Severity.WARNING,
          `subset "${subset.name}" ${labelsText(subset.labels)} selects none of the pods of Service ${service.namespace}/${service.name} `
          + `(${pods.map((w) => `${w.kind} ${w.name} ${labelsText(w.podLabels)}`).join('; ')}), so traffic routed to it fails. `
          + 'Fix: correct the subset labels or deploy a workload whose pods carry them'));
      }
    }
    return out;
  },
};
