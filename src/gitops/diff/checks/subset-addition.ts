import { momentText, strictlyBefore } from '../argo-cd-sync-order';
import { DiffContext, UnsafeChange } from '../unsafe-change';
import { subsetDefiners, subsetUses, usesSubset } from './subset-references';

/**
 * MESH0402: a VirtualService starts routing to a subset that the same sync adds to a
 * DestinationRule, in the same wave or a later one (or without waves: all in wave 0). Argo CD
 * applies one wave at once, so the route can reach the sidecars before the subset does: 503s until
 * it does (istio/istio#8420). Safe only when the DestinationRule is in a strictly earlier wave.
 */
export function subsetAdditionCheck(ctx: DiffContext): UnsafeChange[] {
  const out: UnsafeChange[] = [];
  const seen = new Set<string>();
  for (const use of subsetUses(ctx.newIndex)) {
    if (subsetDefiners(ctx.oldIndex, use.host, use.subset).length > 0) continue; // the subset is live already
    const oldVs = ctx.counterpart(use.virtualService, true);
    if (oldVs && usesSubset(ctx.oldIndex, oldVs, use.host, use.subset)) continue; // not a new use
    const routeStarts = ctx.order.applied(use.virtualService);
    for (const dr of subsetDefiners(ctx.newIndex, use.host, use.subset)) {
      const subsetArrives = ctx.order.applied(dr);
      const key = `${ctx.idOf(use.virtualService)}|${ctx.idOf(dr)}|${use.subset}`;
      if (seen.has(key) || strictlyBefore(subsetArrives, routeStarts)) continue;
      seen.add(key);
      const vs = ctx.idOf(use.virtualService);
      const drId = ctx.idOf(dr);
      out.push(ctx.unsafe(use.virtualService, 'MESH0402',
        `${use.where} starts routing to subset "${use.subset}" of ${use.host} in ${momentText(routeStarts)}, but ${drId} adds the subset in ${momentText(subsetArrives)}, not in an earlier wave: `
        + 'Argo CD applies a wave at once, so the route may reach the sidecars before the subset and its requests get 503s (istio/istio#8420)',
        `put ${drId} in an earlier sync wave than ${vs} (ArgoCdSyncWaves.enable gives DestinationRules wave 0 and VirtualServices wave 1), or split the change into two commits: first add the subset, then the route`,
        [dr]));
    }
  }
  return out;
}
