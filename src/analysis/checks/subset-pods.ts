import { Analyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout, labelsText } from '../report';
import { labelsMatch } from '../selectors';

/**
 * IST0173: a DestinationRule subset whose labels select none of the pods of its Service.
 *
 * Only checked when the Service is in the set and at least one workload of the set runs its pods:
 * a set of mesh resources alone (or with workloads of other services) says nothing about the
 * pods that exist, so it is never reported there.
 */
export const subsetPodsAnalyzer: Analyzer = {
  name: 'destinationrule-subset-selects-pods',
  codes: ['IST0173'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    for (const dr of index.destinationRules()) {
      if (dr.subsets.length === 0) continue;
      const service = index.serviceByHost(dr.host);
      if (!service?.selector) continue;
      const pods = index.workloadsMatching(service.namespace, service.selector);
      if (pods.length === 0) continue;
      for (const subset of dr.subsets) {
        if (pods.some((w) => labelsMatch(subset.labels, w.podLabels))) continue;
        out.push(findingAbout(index, dr.manifest, 'IST0173', Severity.WARNING,
          `subset "${subset.name}" ${labelsText(subset.labels)} selects none of the pods of Service ${service.namespace}/${service.name} `
          + `(${pods.map((w) => `${w.kind} ${w.name} ${labelsText(w.podLabels)}`).join('; ')}), so traffic routed to it fails. `
          + 'Fix: correct the subset labels or deploy a workload whose pods carry them'));
      }
    }
    return out;
  },
};
