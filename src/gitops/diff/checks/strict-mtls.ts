import { plainTextPolicies, ROOT_NAMESPACE } from '../../../analysis/checks/mtls-conflicts';
import { Manifest } from '../../../analysis/manifest';
import { ManifestIndex } from '../../../analysis/manifest-index';
import { labelsMatch } from '../../../analysis/selectors';
import { momentText, strictlyBefore, SyncMoment } from '../argo-cd-sync-order';
import { changeOf } from '../object-changes';
import { DiffContext, UnsafeChange } from '../unsafe-change';

const SECURITY = 'security.istio.io';

interface PeerAuth {
  readonly manifest: Manifest;
  readonly namespace: string;
  readonly selector?: Record<string, string>;
  readonly mode?: string;
  /** `portLevelMtls`: workload (container) port → mode. */
  readonly ports: Record<string, string>;
}

/** The pods behind a host: their namespace and label sets (the Service's selector when no workload of the output matches it). */
interface Server {
  readonly name: string;
  readonly namespace: string;
  readonly podLabels: Record<string, string>[];
  /** Service port → workload port. */
  readonly targetPorts: Map<number, number>;
}

function peerAuths(index: ManifestIndex): PeerAuth[] {
  return index.ofKind(SECURITY, 'PeerAuthentication').map((m) => {
    const labels = m.spec?.selector?.matchLabels;
    const ports: Record<string, string> = {};
    for (const [port, v] of Object.entries(m.spec?.portLevelMtls ?? {})) {
      if (typeof (v as any)?.mode === 'string') ports[port] = (v as any).mode;
    }
    return { manifest: m, namespace: index.namespaceOf(m), selector: labels && Object.keys(labels).length ? labels : undefined, mode: m.spec?.mtls?.mode, ports };
  });
}

function serverOf(index: ManifestIndex, host: string): Server | undefined {
  const match = /^([^.]+)\.([^.]+)\.svc\./.exec(host);
  if (!match) return undefined;
  const [, name, namespace] = match;
  const service = index.service(name, namespace);
  const selector = service?.selector;
  const workloads = selector ? index.workloadsMatching(namespace, selector).map((w) => w.podLabels) : [];
  const targetPorts = new Map((service?.ports ?? []).map((p) => [p.port, p.targetPortNumber ?? p.port]));
  return { name, namespace, podLabels: workloads.length ? workloads : selector ? [selector] : [], targetPorts };
}

const set = (mode: string | undefined): mode is string => typeof mode === 'string' && mode !== 'UNSET';

/**
 * The mTLS mode Istio applies to a server's port (undefined: every port), and the PeerAuthentication
 * that decides it: a workload policy (its port-level mode first), else the namespace's, else the
 * mesh's (root namespace), else PERMISSIVE. Several matching workload policies: the first (Istio: the oldest).
 */
function modeOf(pas: PeerAuth[], server: Server, workloadPort?: number): { mode: string; by?: Manifest } {
  const workload = pas.find((p) => p.namespace === server.namespace && p.selector && server.podLabels.some((l) => labelsMatch(p.selector, l)));
  if (workload) {
    if (workloadPort !== undefined && set(workload.ports[String(workloadPort)])) return { mode: workload.ports[String(workloadPort)], by: workload.manifest };
    if (workloadPort === undefined && Object.values(workload.ports).includes('STRICT')) return { mode: 'STRICT', by: workload.manifest };
    if (set(workload.mode)) return { mode: workload.mode, by: workload.manifest };
  }
  const scoped = pas.find((p) => p.namespace === server.namespace && !p.selector && set(p.mode))
    ?? pas.find((p) => p.namespace === ROOT_NAMESPACE && !p.selector && set(p.mode));
  return scoped ? { mode: scoped.mode!, by: scoped.manifest } : { mode: 'PERMISSIVE' };
}

/**
 * MESH0404: a PeerAuthentication tightens a server to STRICT (mesh-, namespace- or workload-wide,
 * or one port) while a DestinationRule disables TLS (`tls.mode: DISABLE`) for traffic to it:
 *
 * - in the new output: the clients keep sending plain text and the server sidecars refuse it after
 *   the sync (DISABLE does not bypass STRICT, istio/istio#48290);
 * - in the old output only: the clients send plain text until the new DestinationRule is applied,
 *   so STRICT must come in a strictly later wave (the ordering table puts PeerAuthentications in
 *   wave -1, before DestinationRules in 0: a separate commit).
 */
export function strictMtlsCheck(ctx: DiffContext): UnsafeChange[] {
  const oldPas = peerAuths(ctx.oldIndex);
  const newPas = peerAuths(ctx.newIndex);
  // when the tightening can happen: the earliest change of a PeerAuthentication of the namespace or the mesh
  const tightens = (namespace: string): SyncMoment | undefined => [...oldPas, ...newPas]
    .filter((p) => p.namespace === namespace || p.namespace === ROOT_NAMESPACE)
    .map((p) => ctx.pairOf(p.manifest))
    .filter((pair) => changeOf(pair, 0) !== undefined)
    .map((pair) => ctx.order.replaced(pair))
    .filter((m): m is SyncMoment => m !== undefined)
    .sort((a, b) => a.wave - b.wave)[0];

  const out = new Map<string, { pa: Manifest; dr: Manifest; host: string; where: string[]; stillDisabled: boolean; moments: string }>();
  for (const [index, inNew] of [[ctx.oldIndex, false], [ctx.newIndex, true]] as Array<[ManifestIndex, boolean]>) {
    for (const dr of index.destinationRules()) {
      const serverAfter = serverOf(ctx.newIndex, dr.host) ?? serverOf(ctx.oldIndex, dr.host);
      const serverBefore = serverOf(ctx.oldIndex, dr.host) ?? serverAfter;
      if (!serverAfter || !serverBefore) continue;
      const drPair = ctx.pairOf(dr.manifest);
      for (const policy of plainTextPolicies(dr.manifest)) {
        const port = (server: Server) => (policy.port === undefined ? undefined : server.targetPorts.get(policy.port) ?? policy.port);
        const after = modeOf(newPas, serverAfter, port(serverAfter));
        const before = modeOf(oldPas, serverBefore, port(serverBefore));
        if (after.mode !== 'STRICT' || before.mode === 'STRICT' || !after.by) continue;
        let moments = '';
        if (!inNew) {
          if (drPair.new && plainTextPolicies(drPair.new).some((p) => p.where === policy.where)) continue; // reported from the new output
          const strictFrom = tightens(serverAfter.namespace);
          const plainUntil = ctx.order.replaced(drPair);
          if (strictlyBefore(plainUntil, strictFrom)) continue;
          moments = ` until ${momentText(plainUntil)}, and STRICT applies from ${momentText(strictFrom)}`;
        }
        const key = `${ctx.idOf(after.by)}|${drPair.key}`;
        const entry = out.get(key) ?? { pa: after.by, dr: drPair.new ?? dr.manifest, host: dr.host, where: [], stillDisabled: inNew, moments };
        entry.where.push(`${policy.where}${policy.port !== undefined ? ` (port ${policy.port})` : ''}`);
        out.set(key, entry);
      }
    }
  }
  return [...out.values()].map((e) => {
    const pa = ctx.idOf(e.pa);
    const dr = ctx.idOf(e.dr);
    const reason = e.stillDisabled
      ? `makes the pods behind ${e.host} STRICT, but ${dr} still disables TLS (${e.where.join(', ')}): after the sync the clients send plain text and the server sidecars refuse it (DISABLE does not bypass STRICT, istio/istio#48290)`
      : `makes the pods behind ${e.host} STRICT, while ${dr} disables TLS (${e.where.join(', ')})${e.moments}: in between, the clients send plain text and the server sidecars refuse it`;
    return ctx.unsafe(e.pa, 'MESH0404', reason,
      `split the change into commits: first switch ${dr} to ISTIO_MUTUAL (or drop its tls so auto-mTLS chooses) and let Argo CD sync it; then tighten ${pa} to STRICT in a later commit (DISABLE → PERMISSIVE → STRICT)`,
      [e.dr]);
  });
}
