import { momentText, strictlyBefore } from '../argo-cd-sync-order';
import { DiffContext, UnsafeChange } from '../unsafe-change';
import { subsetDefiners, subsetUses, usesSubset } from './subset-references';

/**
 * MESH0401: a DestinationRule subset is removed while a VirtualService of the old output still
 * routes to it. The old routes stay live until the sync applies (or prunes) the VirtualService;
 * if the subset goes first, requests to it get 503s (no cluster for the subset) in between. Safe
 * only when the route stops in a strictly earlier wave than the subset goes.
 */
export function subsetRemovalCheck(ctx: DiffContext): UnsafeChange[] {
  const out: UnsafeChange[] = [];
  const seen = new Set<string>();
  for (const use of subsetUses(ctx.oldIndex)) {
    const definers = subsetDefiners(ctx.oldIndex, use.host, use.subset);
    if (definers.length === 0) continue; // broken before the change: not this change's doing
    if (subsetDefiners(ctx.newIndex, use.host, use.subset).length > 0) continue; // still defined after the sync
    const vsPair = ctx.pairOf(use.virtualService);
    const stillRoutes = vsPair.new !== undefined && usesSubset(ctx.newIndex, vsPair.new, use.host, use.subset);
    const routeStops = stillRoutes ? undefined : ctx.order.replaced(vsPair);
    for (const dr of definers) {
      const drPair = ctx.pairOf(dr);
      const subsetGoes = ctx.order.replaced(drPair);
      if (!subsetGoes) continue; // never pruned (Prune=false): the subset stays live
      const key = `${drPair.key}|${vsPair.key}|${use.host}|${use.subset}`;
      if (seen.has(key) || strictlyBefore(routeStops, subsetGoes)) continue;
      seen.add(key);
      const vs = ctx.idOf(use.virtualService);
      const drId = ctx.idOf(dr);
      const removal = drPair.new ? `${drId} drops subset "${use.subset}" of ${use.host} in ${momentText(subsetGoes)}` : `${drId}, which defines subset "${use.subset}" of ${use.host}, is pruned in ${momentText(subsetGoes)}`;
      const stop = stillRoutes ? `and ${vs} still routes to it after the sync (${use.where})` : `but ${vs} routes to it (${use.where}) until ${momentText(routeStops)}`;
      out.push(ctx.unsafe(drPair.new ?? dr, 'MESH0401',
        `${removal}, ${stop}: in between, requests routed to the subset get 503s (istio/istio#8420, in reverse)`,
        `split the change into two commits: first remove every route to subset "${use.subset}" from ${vs} and let Argo CD sync it; then remove the subset from ${drId} in a later commit`,
        [use.virtualService]));
    }
  }
  return out;
}
