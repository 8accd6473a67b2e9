import { IAnalyzer } from '../analyzer';
import { Finding, Severity } from '../finding';
import { Manifest } from '../manifest';
import type { ManifestIndex } from '../manifest-index';
import { findingAbout } from '../report';
import { labelsMatch } from '../selectors';

const SECURITY = 'security.istio.io';
/** Istio's root namespace: a PeerAuthentication there without selector is mesh-wide. */
export const ROOT_NAMESPACE = 'istio-system';

interface PeerAuth {
  readonly manifest: Manifest;
  readonly namespace: string;
  readonly selector?: Record<string, string>;
  readonly mode?: string;
}

/** A `tls.mode: DISABLE` of a DestinationRule. */
export interface PlainTextPolicy {
  /** e.g. `trafficPolicy.portLevelSettings[0].tls.mode` or `subset v1 trafficPolicy.tls.mode` */
  readonly where: string;
  /** The Service port of a port-level setting; undefined for every port. */
  readonly port?: number;
}

/** Every `tls.mode: DISABLE` of a DestinationRule: top level, port level and per subset. */
export function plainTextPolicies(dr: Manifest): PlainTextPolicy[] {
  const out: PlainTextPolicy[] = [];
  const add = (where: string, p: any) => {
    if (p?.tls?.mode === 'DISABLE') out.push({ where: `${where}.tls.mode` });
    (Array.isArray(p?.portLevelSettings) ? p.portLevelSettings : []).forEach((s: any, i: number) => {
      const port = s?.port?.number;
      if (s?.tls?.mode === 'DISABLE') out.push({ where: `${where}.portLevelSettings[${i}].tls.mode`, ...(typeof port === 'number' ? { port } : {}) });
    });
  };
  add('trafficPolicy', dr.spec?.trafficPolicy);
  (Array.isArray(dr.spec?.subsets) ? dr.spec.subsets : []).forEach((s: any) => add(`subset ${s?.name} trafficPolicy`, s?.trafficPolicy));
  return out;
}

/**
 * mTLS settings Istio ignores or that contradict each other:
 *
 * - MESH0203 (error): a PeerAuthentication with `portLevelMtls` but no selector; Istio applies
 *   port-level modes only to workload-selected policies.
 * - MESH0204 (error): a DestinationRule with `tls.mode: DISABLE` for a host whose namespace is
 *   STRICT (a namespace-wide STRICT PeerAuthentication, or a mesh-wide one in the root namespace
 *   that the namespace does not override) and whose pods no PERMISSIVE/DISABLE workload policy
 *   covers (when the Service is not in the set, any such workload policy in the namespace counts). DISABLE does not bypass STRICT: the server sidecars refuse the plain-text requests
 *   (the check Istio retired as IST0113).
 */
export const mtlsConflictsAnalyzer: IAnalyzer = {
  name: 'mtls-conflicts',
  codes: ['MESH0203', 'MESH0204'],
  analyze(index: ManifestIndex): Finding[] {
    const out: Finding[] = [];
    const peerAuths: PeerAuth[] = index.ofKind(SECURITY, 'PeerAuthentication').map((m) => {
      const labels = m.spec?.selector?.matchLabels;
      return {
        manifest: m,
        namespace: index.namespaceOf(m),
        selector: labels && Object.keys(labels).length ? labels : undefined,
        mode: m.spec?.mtls?.mode,
      };
    });
    for (const pa of peerAuths) {
      const ports = pa.manifest.spec?.portLevelMtls;
      if (!pa.selector && ports && typeof ports === 'object' && Object.keys(ports).length > 0) {
        out.push(findingAbout(index, pa.manifest, 'MESH0203', Severity.ERROR,
          `sets portLevelMtls for port(s) ${Object.keys(ports).join(', ')} without a selector; Istio ignores port-level mTLS in namespace- and mesh-wide policies. `
          + 'Fix: add selector.matchLabels naming the workload, or move the ports to a workload-specific PeerAuthentication'));
      }
    }
    const namespaceMode = (ns: string): { mode?: string; by?: Manifest } => {
      const own = peerAuths.find((p) => p.namespace === ns && !p.selector && p.mode && p.mode !== 'UNSET');
      if (own) return { mode: own.mode, by: own.manifest };
      const mesh = peerAuths.find((p) => p.namespace === ROOT_NAMESPACE && !p.selector && p.mode && p.mode !== 'UNSET');
      return { mode: mesh?.mode, by: mesh?.manifest };
    };

    for (const dr of index.destinationRules()) {
      const where = plainTextPolicies(dr.manifest).map((p) => p.where);
      if (where.length === 0) continue;
      const match = /^([^.]+)\.([^.]+)\.svc\./.exec(dr.host);
      if (!match) continue;
      const [, name, ns] = match;
      const { mode, by } = namespaceMode(ns);
      if (mode !== 'STRICT' || !by) continue;
      const service = index.service(name, ns);
      const relaxed = peerAuths.filter((p) => p.namespace === ns && p.selector && p.mode && p.mode !== 'STRICT' && p.mode !== 'UNSET');
      // without the Service (and its selector) in the set, a workload exception may cover the host: stay quiet
      const excepted = service?.selector ? relaxed.some((p) => labelsMatch(p.selector, service.selector)) : relaxed.length > 0;
      if (excepted) continue;
      out.push(findingAbout(index, dr.manifest, 'MESH0204', Severity.ERROR,
        `${where.join(', ')} is DISABLE for ${dr.host}, but ${index.idOf(by)} makes ${by.metadata.namespace === ROOT_NAMESPACE && ns !== ROOT_NAMESPACE ? 'the mesh' : `namespace ${ns}`} STRICT, so the server sidecars refuse plain text (DISABLE does not bypass STRICT; retired IST0113). `
        + 'Fix: use ISTIO_MUTUAL (or drop tls to let auto-mTLS choose), or make the server PERMISSIVE with a workload PeerAuthentication while it migrates'));
    }
    return out;
  },
};
