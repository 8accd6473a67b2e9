import { protocolFromPortName } from '../../service/protocol';
import { IAnalyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout } from '../report';

const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);
/** `appProtocol` values Kubernetes defines, which Istio maps to HTTP/2, HTTP and HTTPS. */
const KUBERNETES_APP_PROTOCOLS = new Set(['kubernetes.io/h2c', 'kubernetes.io/ws', 'kubernetes.io/wss']);
/** Values of `gateway.istio.io/managed` on the Services Istio deploys for Gateway API Gateways. */
const ISTIO_MANAGED = new Set(['istio.io-gateway-controller', 'istio.io-mesh-controller', 'istio.io-eastwest-controller']);

/** Istio's own Services (its control plane and gateways), which Istio's analyzer skips. */
function isIstioOwn(labels: Readonly<Record<string, string>> | undefined): boolean {
  if (!labels) return false;
  return labels.istio !== undefined || labels.release === 'istio' || ISTIO_MANAGED.has(labels['gateway.istio.io/managed']);
}

/** True if Istio detects a protocol from the port's appProtocol, or else its name. */
function detected(name: string | undefined, appProtocol: string | undefined): boolean {
  if (appProtocol !== undefined) return KUBERNETES_APP_PROTOCOLS.has(appProtocol) || protocolFromPortName(appProtocol) !== undefined;
  return name !== undefined && protocolFromPortName(name) !== undefined;
}

/**
 * IST0118: a Service port whose name does not tell Istio its protocol (`<protocol>` or
 * `<protocol>-<suffix>`) and that sets no `appProtocol`. Istio then falls back to protocol sniffing
 * or plain TCP, and HTTP routing, retries and metrics do not apply. An `appProtocol` Istio does
 * not know is reported too (it takes precedence over the name). As in Istio, Istio's own Services
 * (labelled `istio: <any>`, `release: istio`, or managed by Istio's gateway controllers) are skipped.
 */
export const portNameAnalyzer: IAnalyzer = {
  name: 'service-port-name',
  codes: ['IST0118'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    for (const s of index.services()) {
      if (SYSTEM_NAMESPACES.has(s.namespace) || s.type === 'ExternalName' || isIstioOwn(s.manifest.metadata.labels)) continue;
      for (const p of s.ports) {
        if (p.protocol.toUpperCase() === 'UDP' || detected(p.name, p.appProtocol)) continue;
        out.push(findingAbout(index, s.manifest, 'IST0118', Severity.WARNING, p.appProtocol !== undefined
          ? `port ${p.port} sets appProtocol "${p.appProtocol}", which is not a protocol Istio knows (it takes precedence over the port name). Fix: set appProtocol to a protocol such as "http", "grpc" or "tcp", or remove it`
          : `port ${p.port} ${p.name === undefined ? 'has no name' : `is named "${p.name}"`}, from which Istio cannot detect the protocol, and sets no appProtocol. `
          + `Fix: name it "<protocol>" or "<protocol>-<suffix>" (e.g. "http"${p.name ? ` or "http-${p.name}"` : ''}), or set appProtocol`));
      }
    }
    return out;
  },
};
