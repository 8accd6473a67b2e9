import { protocolFromPortName } from '../../service/protocol';
import { Analyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout } from '../report';

const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);

/**
 * IST0118: a Service port whose name does not tell Istio its protocol (`<protocol>` or
 * `<protocol>-<suffix>`) and that sets no `appProtocol`. Istio then falls back to protocol sniffing
 * or plain TCP, and HTTP routing, retries and metrics do not apply.
 */
export const portNameAnalyzer: Analyzer = {
  name: 'service-port-name',
  codes: ['IST0118'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    for (const s of index.services()) {
      if (SYSTEM_NAMESPACES.has(s.namespace) || s.type === 'ExternalName') continue;
      for (const p of s.ports) {
        if (p.appProtocol !== undefined || p.protocol.toUpperCase() === 'UDP') continue;
        if (p.name !== undefined && protocolFromPortName(p.name) !== undefined) continue;
        out.push(findingAbout(index, s.manifest, 'IST0118', Severity.WARNING,
          `port ${p.port} ${p.name === undefined ? 'has no name' : `is named "${p.name}"`}, from which Istio cannot detect the protocol, and sets no appProtocol. `
          + `Fix: name it "<protocol>" or "<protocol>-<suffix>" (e.g. "http"${p.name ? ` or "http-${p.name}"` : ''}), or set appProtocol`));
      }
    }
    return out;
  },
};
