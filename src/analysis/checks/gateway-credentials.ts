import { IAnalyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import { gatewayPods } from '../gateway-workloads';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout } from '../report';

/**
 * IST0101: an Istio Gateway server's `tls.credentialName` names a Secret that is not in the set.
 * Istio looks the Secret up in the namespace of the gateway's pods (not of the Gateway resource):
 * the namespace of the first selected workload, or `istio-system` for Istio's default ingress
 * gateway; `namespace/name` names another namespace. Checked only when the set holds Secrets in
 * that namespace or known Secrets were declared (certificates are often issued by cert-manager in
 * the cluster), and only when the gateway's pods are known.
 */
export const gatewayCredentialsAnalyzer: IAnalyzer = {
  name: 'gateway-credential-secret',
  codes: ['IST0101'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    const secrets = new Set(index.ofKind('', 'Secret').map((s) => `${index.namespaceOf(s)}/${s.metadata.name}`));
    const secretNamespaces = new Set([...secrets].map((k) => k.split('/')[0]));
    for (const gw of index.gateways()) {
      const ns = gatewayPods(index, gw).namespace;
      if (ns === undefined) continue;
      (Array.isArray(gw.manifest.spec?.servers) ? gw.manifest.spec.servers : []).forEach((server: any, i: number) => {
        const name = server?.tls?.credentialName;
        if (typeof name !== 'string' || name === '' || name.includes('://')) return;
        const key = name.includes('/') ? name : `${ns}/${name}`;
        const secretNs = key.split('/')[0];
        if (!secretNamespaces.has(secretNs) && index.knownSecrets.length === 0) return;
        if (secrets.has(key) || index.knownSecrets.includes(key)) return;
        out.push(findingAbout(index, gw.manifest, 'IST0101', Severity.ERROR,
          `servers[${i}].tls.credentialName names Secret ${key}, which is not in the set (Istio looks it up in ${secretNs}, the namespace of the gateway's pods), so the server has no certificate. `
          + 'Fix: create the Secret there, correct the name, or declare it known (--known-secret)'));
      });
    }
    return out;
  },
};
