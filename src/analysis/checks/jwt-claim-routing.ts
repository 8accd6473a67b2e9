import { IAnalyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout, labelsText } from '../report';
import { labelsMatch } from '../selectors';

const CLAIM_PREFIX = '@request.auth.claims';
const ROOT_NAMESPACE = 'istio-system';

/** The `@request.auth.claims...` header keys the http matches of a VirtualService use, with where. */
function claimMatches(spec: any): Array<{ where: string; claim: string }> {
  const out: Array<{ where: string; claim: string }> = [];
  (Array.isArray(spec?.http) ? spec.http : []).forEach((rule: any, i: number) => {
    (Array.isArray(rule?.match) ? rule.match : []).forEach((m: any, j: number) => {
      for (const key of Object.keys(m?.headers ?? {})) {
        if (key.startsWith(CLAIM_PREFIX)) out.push({ where: `http[${i}].match[${j}].headers`, claim: key });
      }
    });
  });
  return out;
}

/**
 * IST0149: a gateway-bound VirtualService routes on JWT claims (`@request.auth.claims.*` headers)
 * but no RequestAuthentication applies to that gateway's pods, so no request carries verified
 * claims and the match never applies. Checked for Gateways of the set (their `selector` gives the
 * gateway pods' labels); a RequestAuthentication applies from the gateway's namespace or
 * `istio-system`, with no selector or one the gateway pods satisfy.
 */
export const jwtClaimRoutingAnalyzer: IAnalyzer = {
  name: 'virtualservice-jwt-claim-routing',
  codes: ['IST0149'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    const authns = index.ofKind('security.istio.io', 'RequestAuthentication');
    for (const vs of index.ofKind('networking.istio.io', 'VirtualService')) {
      const claims = claimMatches(vs.spec);
      if (claims.length === 0) continue;
      const ns = index.namespaceOf(vs);
      for (const ref of (Array.isArray(vs.spec?.gateways) ? vs.spec.gateways : []) as unknown[]) {
        if (typeof ref !== 'string' || ref === 'mesh') continue;
        const gw = index.gateway(ref, ns);
        if (!gw) continue;
        const podLabels: Record<string, string> = gw.manifest.spec?.selector ?? {};
        const covered = authns.some((ra) => {
          const raNs = index.namespaceOf(ra);
          if (raNs !== gw.namespace && raNs !== ROOT_NAMESPACE) return false;
          return labelsMatch(ra.spec?.selector?.matchLabels, podLabels);
        });
        if (covered) continue;
        out.push(findingAbout(index, vs, 'IST0149', Severity.ERROR,
          `${claims[0].where} routes on ${claims.map((c) => c.claim).join(', ')} through Gateway ${gw.namespace}/${gw.name}, but no RequestAuthentication applies to its pods ${labelsText(podLabels)}, `
          + 'so requests never carry verified claims and the match never applies. Fix: add a RequestAuthentication in the gateway\'s namespace selecting those pods'));
      }
    }
    return out;
  },
};
