import { IAnalyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout } from '../report';
import { weightedRoutesOf } from '../virtual-service-routes';

/**
 * MESH0001: the weights of a VirtualService route do not sum to 100. Istio accepts this and
 * normalizes them, so the split users get differs from the numbers they read: a warning.
 */
export const routeWeightsAnalyzer: IAnalyzer = {
  name: 'virtualservice-route-weights',
  codes: ['MESH0001'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    for (const vs of index.ofKind('networking.istio.io', 'VirtualService')) {
      for (const r of weightedRoutesOf(vs)) {
        const total = r.destinations.reduce((sum, d) => sum + (d.weight ?? 0), 0);
        if (total === 100) continue;
        out.push(findingAbout(index, vs, 'MESH0001', Severity.WARNING,
          `${r.where} weights sum to ${total}, not 100 (${r.destinations.map((d) => `${d.label}=${d.weight ?? 'unset'}`).join(', ')}); Istio normalizes them, so the split differs from the numbers written. `
          + 'Fix: make the weights add up to 100'));
      }
    }
    return out;
  },
};
