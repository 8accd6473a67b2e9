import { Manifest } from '../../../analysis/manifest';
import { ManifestIndex } from '../../../analysis/manifest-index';
import { momentText, strictlyBefore } from '../argo-cd-sync-order';
import { DiffContext, UnsafeChange } from '../unsafe-change';

const ISTIO = 'networking.istio.io';

/** `host|gateway` → the VirtualServices of an output that hold the host for that gateway (`mesh`: the sidecars). */
function holders(index: ManifestIndex): Map<string, Manifest[]> {
  const out = new Map<string, Manifest[]>();
  for (const vs of index.ofKind(ISTIO, 'VirtualService')) {
    const ns = index.namespaceOf(vs);
    const gateways: string[] = Array.isArray(vs.spec?.gateways) && vs.spec.gateways.length ? vs.spec.gateways.filter((g: unknown) => typeof g === 'string') : ['mesh'];
    for (const h of Array.isArray(vs.spec?.hosts) ? vs.spec.hosts : []) {
      if (typeof h !== 'string') continue;
      for (const g of gateways) {
        const key = `${index.resolve(h, ns)}|${g === 'mesh' ? g : index.gatewayKey(g, ns)}`;
        out.set(key, [...(out.get(key) ?? []), vs]);
      }
    }
  }
  return out;
}

/**
 * MESH0403: a host moves from one VirtualService to another. Until the new holder is applied the
 * host has no routes of the new one; once the old holder lets go, none of the old. When the old
 * holder lets go first (an earlier wave, the same wave, or a prune at the start of the new one's
 * wave), there is a window with no VirtualService for the host: 404s at a gateway, and on sidecars
 * the Service's default routing to every version (no subsets, weights, matches, retries or timeouts). When
 * the new holder comes first, both hold the host for a moment, which is safe: Istio orders
 * VirtualServices by creation time and keeps the older for sidecars, and merges them at gateways.
 */
export function hostMoveCheck(ctx: DiffContext): UnsafeChange[] {
  const before = holders(ctx.oldIndex);
  const after = holders(ctx.newIndex);
  const out: UnsafeChange[] = [];
  for (const [key, oldHolders] of before) {
    const newHolders = after.get(key) ?? [];
    const oldKeys = new Set(oldHolders.map((m) => ctx.pairOf(m).key));
    const newKeys = new Set(newHolders.map((m) => ctx.pairOf(m).key));
    const leaving = oldHolders.filter((m) => !newKeys.has(ctx.pairOf(m).key));
    const arriving = newHolders.filter((m) => !oldKeys.has(ctx.pairOf(m).key));
    const [host, gateway] = key.split('|');
    for (const from of leaving) {
      const fromPair = ctx.pairOf(from);
      const letsGo = ctx.order.replaced(fromPair);
      if (!letsGo) continue; // never pruned (Prune=false): it keeps the host
      for (const to of arriving) {
        const takesOver = ctx.order.applied(to);
        if (strictlyBefore(takesOver, letsGo)) continue;
        const fromId = ctx.idOf(from);
        const toId = ctx.idOf(to);
        const where = gateway === 'mesh' ? "on sidecars, the Service's default routing to every version (no subsets, weights or matches)" : `404s at gateway ${gateway}`;
        const pruneFix = fromPair.new ? '' : `; since ${fromId} is deleted, alternatively give it the annotation argocd.argoproj.io/sync-options: PruneLast=true in an earlier commit (it must be on the live object), or set the Application's sync option PruneLast=true, so it is pruned after every wave`;
        out.push(ctx.unsafe(to, 'MESH0403',
          `host ${host} moves from ${fromId} (${fromPair.new ? 'changed' : 'pruned'} in ${momentText(letsGo)}) to ${toId} (applied in ${momentText(takesOver)}): `
          + `the old VirtualService may let go before the new one holds the host, and in between the host has no routes: ${where}`,
          `give ${toId} a lower argocd.argoproj.io/sync-wave than ${fromId} (e.g. "0" when ${fromId} is in "1"), so the new VirtualService holds the host first: while both do, Istio keeps the older one for sidecars and merges them at gateways${pruneFix}; or keep the host in ${fromId} and change its routes in place`,
          [from]));
      }
    }
  }
  return out;
}
