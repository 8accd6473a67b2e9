import { IAnalyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout, listOf } from '../report';

/**
 * IST0101: a VirtualService route or mirror names a subset that no DestinationRule for its host
 * defines. Istio answers such requests with 503 (no healthy upstream).
 *
 * When the set holds no DestinationRule at all, it only describes routing whose DestinationRules
 * are deployed elsewhere, so the finding is a warning, as for unknown hosts and gateways.
 */
export const destinationSubsetAnalyzer: IAnalyzer = {
  name: 'virtualservice-subset-defined',
  codes: ['IST0101'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    const knowsRules = index.destinationRules().length > 0;
    for (const vs of index.ofKind('networking.istio.io', 'VirtualService')) {
      const ns = index.namespaceOf(vs);
      for (const d of index.destinationsOf(vs)) {
        if (d.subset === undefined) continue;
        const host = index.resolve(d.host, ns);
        const rules = index.destinationRulesFor(host);
        if (rules.some((r) => r.subsets.some((s) => s.name === d.subset))) continue;
        const defined = [...new Set(rules.flatMap((r) => r.subsets.map((s) => s.name)))].sort();
        if (defined.includes(d.subset)) continue;
        const message = rules.length === 0
          ? `${d.where} routes to subset "${d.subset}" of ${host}, but no DestinationRule for that host is in the set, so no subset is defined`
            + `${knowsRules ? '' : ' (a warning because the set holds no DestinationRule: they may be deployed separately)'}. `
            + `Fix: add a DestinationRule with host ${d.host} and a subset "${d.subset}", or drop the subset`
          : `${d.where} routes to subset "${d.subset}" of ${host}, which ${listOf(rules.map((r) => `DestinationRule ${r.namespace}/${r.name}`))} does not define `
            + `(defined: ${defined.length ? defined.join(', ') : 'none'}). Fix: add subset "${d.subset}" to the DestinationRule or route to a defined subset`;
        out.push(findingAbout(index, vs, 'IST0101', knowsRules ? Severity.ERROR : Severity.WARNING, message));
      }
    }
    return out;
  },
};
