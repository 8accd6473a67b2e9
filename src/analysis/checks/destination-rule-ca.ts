import { IAnalyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout } from '../report';

const VERIFYING_MODES = ['SIMPLE', 'MUTUAL'];

/** True if TLS settings originate TLS without saying which CA certificates verify the server. */
function unverified(tls: any, hasWorkloadSelector: boolean): boolean {
  if (!tls || !VERIFYING_MODES.includes(tls.mode)) return false;
  if (typeof tls.caCertificates === 'string' && tls.caCertificates !== '') return false;
  // a credentialName Secret carries the CA too, but Istio counts it only for a DestinationRule with a workloadSelector
  return !(typeof tls.credentialName === 'string' && tls.credentialName !== '' && hasWorkloadSelector);
}

/**
 * IST0128 / IST0129: a DestinationRule originates TLS (`SIMPLE` or `MUTUAL`) for its host (IST0128)
 * or a port (IST0129, `portLevelSettings`) without `caCertificates`, so the server's certificate
 * is not verified against a CA the rule names. A `credentialName` counts as carrying the CA only
 * when the rule has a `workloadSelector`, as in Istio. Warnings, as in Istio.
 */
export const destinationRuleCaAnalyzer: IAnalyzer = {
  name: 'destinationrule-ca-certificates',
  codes: ['IST0128', 'IST0129'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    for (const dr of index.ofKind('networking.istio.io', 'DestinationRule')) {
      const selector = dr.spec?.workloadSelector !== undefined && dr.spec?.workloadSelector !== null;
      const host = String(dr.spec?.host ?? '');
      const tls = dr.spec?.trafficPolicy?.tls;
      if (unverified(tls, selector)) {
        out.push(findingAbout(index, dr, 'IST0128', Severity.WARNING,
          `trafficPolicy.tls has mode ${tls.mode} but no caCertificates to verify the server certificate of ${host}. `
          + 'Fix: set caCertificates (or a credentialName Secret holding the CA with a workloadSelector)'));
      }
      (Array.isArray(dr.spec?.trafficPolicy?.portLevelSettings) ? dr.spec.trafficPolicy.portLevelSettings : []).forEach((p: any, i: number) => {
        if (!unverified(p?.tls, selector)) return;
        out.push(findingAbout(index, dr, 'IST0129', Severity.WARNING,
          `trafficPolicy.portLevelSettings[${i}].tls (port ${p?.port?.number ?? '?'}) has mode ${p.tls.mode} but no caCertificates to verify the server certificate of ${host}. `
          + 'Fix: set caCertificates (or a credentialName Secret holding the CA with a workloadSelector)'));
      });
    }
    return out;
  },
};
