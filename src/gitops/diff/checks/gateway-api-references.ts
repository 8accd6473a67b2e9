import { momentText, strictlyBefore } from '../argo-cd-sync-order';
import { DiffContext, UnsafeChange } from '../unsafe-change';
import { backendUses, grantsFor, routeUses } from './route-backends';

/**
 * MESH0405: a route (Gateway API HTTPRoute, GRPCRoute, TCPRoute, TLSRoute, or Linkerd's HTTPRoute)
 * starts sending traffic to a Service that the same sync adds, in the same wave or a later one.
 * Until the Service exists the backendRef is invalid, and the Gateway API has its share of the
 * requests answered with 500s (HTTPBackendRef). Safe only when the Service is in a strictly
 * earlier wave (then Argo CD also waits for the Deployments of that wave to roll out).
 */
export function newBackendCheck(ctx: DiffContext): UnsafeChange[] {
  const out: UnsafeChange[] = [];
  for (const use of backendUses(ctx.newIndex)) {
    if (ctx.oldIndex.service(use.service, use.namespace)) continue; // the Service is live already
    const service = ctx.newIndex.service(use.service, use.namespace);
    if (!service) continue; // outside the output (analyze reports MESH0002)
    const oldRoute = ctx.counterpart(use.route, true);
    if (oldRoute && routeUses(ctx.oldIndex, oldRoute, use.service, use.namespace)) continue;
    const routeStarts = ctx.order.applied(use.route);
    const serviceArrives = ctx.order.applied(service.manifest);
    if (strictlyBefore(serviceArrives, routeStarts)) continue;
    const routeId = ctx.idOf(use.route);
    const serviceId = ctx.idOf(service.manifest);
    out.push(ctx.unsafe(use.route, 'MESH0405',
      `${use.where} starts sending traffic to ${serviceId} in ${momentText(routeStarts)}, but the Service is added in ${momentText(serviceArrives)}, not in an earlier wave: `
      + 'until it exists (and its pods are ready) the backendRef is invalid and its share of the requests gets 500s',
      `put ${serviceId} and its Deployment in an earlier sync wave than ${routeId} (ArgoCdSyncWaves.enable gives Services and Deployments wave 0 and routes wave 1), or split the change into two commits: first add the Service and its workload, then the backendRef`,
      [service.manifest]));
  }
  return out;
}

/**
 * MESH0406: a ReferenceGrant that lets a route of the old output name a Service of another
 * namespace is removed (or no longer allows it) while the route still does: once the grant is
 * gone the backendRef is refused (RefNotPermitted) and its share of the requests gets 500s.
 * Safe only when the route stops naming the Service in a strictly earlier wave.
 */
export function referenceGrantRemovalCheck(ctx: DiffContext): UnsafeChange[] {
  const out: UnsafeChange[] = [];
  const seen = new Set<string>();
  for (const use of backendUses(ctx.oldIndex).filter((u) => u.crossNamespace)) {
    const grants = grantsFor(ctx.oldIndex, use);
    if (grants.length === 0) continue; // refused before the change already
    const routePair = ctx.pairOf(use.route);
    const newUse = routePair.new ? backendUses(ctx.newIndex).find((u) => u.route === routePair.new && u.service === use.service && u.namespace === use.namespace) : undefined;
    if ((newUse ? grantsFor(ctx.newIndex, newUse) : grantsFor(ctx.newIndex, use)).length > 0) continue; // still allowed after the sync
    const routeStops = newUse ? undefined : ctx.order.replaced(routePair);
    for (const grant of grants) {
      const grantPair = ctx.pairOf(grant);
      const grantGoes = ctx.order.replaced(grantPair);
      if (!grantGoes) continue; // never pruned (Prune=false): the grant stays
      const key = `${grantPair.key}|${routePair.key}|${use.namespace}/${use.service}`;
      if (seen.has(key) || strictlyBefore(routeStops, grantGoes)) continue;
      seen.add(key);
      const routeId = ctx.idOf(use.route);
      const grantId = ctx.idOf(grant);
      const stop = newUse ? `and ${routeId} still names it after the sync` : `but ${routeId} names it (${use.where}) until ${momentText(routeStops)}`;
      out.push(ctx.unsafe(grantPair.new ?? grant, 'MESH0406',
        `${grantId} stops allowing ${use.route.kind}s of namespace ${ctx.oldIndex.namespaceOf(use.route)} to name Service ${use.namespace}/${use.service} in ${momentText(grantGoes)}, ${stop}: `
        + 'then the backendRef is refused (RefNotPermitted) and its share of the requests gets 500s',
        `split the change into two commits: first remove the backendRef to ${use.namespace}/${use.service} from ${routeId} and let Argo CD sync it; then remove the grant`,
        [use.route]));
    }
  }
  return out;
}

/**
 * MESH0407: a route starts naming a Service of another namespace through a ReferenceGrant that the
 * same sync adds, in the same wave or a later one: until the grant exists the backendRef is
 * refused (RefNotPermitted) and its share of the requests gets 500s. Safe only when the grant is
 * in a strictly earlier wave (ArgoCdSyncWaves: ReferenceGrants in wave 0, routes in wave 1).
 */
export function newReferenceGrantCheck(ctx: DiffContext): UnsafeChange[] {
  const out: UnsafeChange[] = [];
  for (const use of backendUses(ctx.newIndex).filter((u) => u.crossNamespace)) {
    const oldRoute = ctx.counterpart(use.route, true);
    const oldUse = oldRoute ? backendUses(ctx.oldIndex).find((u) => u.route === oldRoute && u.service === use.service && u.namespace === use.namespace) : undefined;
    if (oldUse && grantsFor(ctx.oldIndex, oldUse).length > 0) continue; // allowed before the sync already
    if (!oldUse && grantsFor(ctx.oldIndex, use).length > 0) continue;
    const grants = grantsFor(ctx.newIndex, use);
    if (grants.length === 0) continue; // never allowed (the route's status says RefNotPermitted): not an ordering problem
    const routeStarts = ctx.order.applied(use.route);
    if (grants.some((g) => strictlyBefore(ctx.order.applied(g), routeStarts))) continue;
    const routeId = ctx.idOf(use.route);
    const grantId = ctx.idOf(grants[0]);
    out.push(ctx.unsafe(use.route, 'MESH0407',
      `${use.where} starts naming Service ${use.namespace}/${use.service} in ${momentText(routeStarts)}, but ${grantId}, which allows it, is added in ${momentText(ctx.order.applied(grants[0]))}, not in an earlier wave: `
      + 'until the grant exists the backendRef is refused (RefNotPermitted) and its share of the requests gets 500s',
      `put ${grantId} in an earlier sync wave than ${routeId} (ArgoCdSyncWaves.enable gives ReferenceGrants wave 0 and routes wave 1), or split the change into two commits: first the grant, then the backendRef`,
      grants));
  }
  return out;
}
