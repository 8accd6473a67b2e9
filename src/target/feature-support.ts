import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import { Mesh, meshOf } from '../core/mesh';
import { Feature, LINKERD_GATEWAY_API } from './features';
import { MeshTarget, targetOf } from './mesh-target';
import { GatewayApiChannel, GatewayApiVersion } from './versions';

/**
 * The Gateway API release and channel whose fields a mesh accepts under a target: the target's, but
 * for the HTTPRoute fields Linkerd reads, at most the release its policy controller supports
 * (standard fields only).
 */
function effectiveGatewayApi(target: MeshTarget, mesh: Mesh, feature: Feature): { version: GatewayApiVersion; channel: GatewayApiChannel } {
  if (mesh !== Mesh.LINKERD || !feature.readByLinkerd) return { version: target.gatewayApi, channel: target.gatewayApiChannel };
  const cap = LINKERD_GATEWAY_API.get(target.linkerd)!;
  return { version: target.gatewayApi.isAtLeast(cap) ? cap : target.gatewayApi, channel: GatewayApiChannel.STANDARD };
}

/** Why a feature is missing under a target and mesh, or undefined when it is available. */
export function missing(feature: Feature, target: MeshTarget, mesh: Mesh): string | undefined {
  if (feature.gatewayApi) {
    const { version, channel } = effectiveGatewayApi(target, mesh, feature);
    const since = channel === GatewayApiChannel.EXPERIMENTAL ? feature.gatewayApi.experimental ?? feature.gatewayApi.standard : feature.gatewayApi.standard;
    if (!since || !version.isAtLeast(since)) {
      const introduced = introducedIn(feature);
      if (mesh === Mesh.LINKERD && target.gatewayApi.isAtLeast(version) && since && !version.isAtLeast(since)) {
        return `${target.linkerd.label} accepts Gateway API fields up to ${version} only, and ${feature.field} is ${introduced}`;
      }
      return `${feature.field} is ${introduced}; the target has ${target.gatewayApi.label} (${target.gatewayApiChannel} channel)`;
    }
  }
  if (feature.istio && (mesh === Mesh.ISTIO || mesh === Mesh.GATEWAY_API) && !target.istio.isAtLeast(feature.istio)) {
    return `${feature.field} is implemented from ${feature.istio.label}; the target has ${target.istio.label}`;
  }
  return undefined;
}

/** `in the Gateway API's standard channel from v1.3 (experimental from v1.2)`. */
export function introducedIn(feature: Feature): string {
  const g = feature.gatewayApi;
  if (!g) return feature.istio ? `implemented from ${feature.istio.label}` : 'available';
  const exp = g.experimental ? `experimental channel from ${g.experimental}` : undefined;
  if (!g.standard) return `only in the Gateway API's ${exp}`;
  return `in the Gateway API's standard channel from ${g.standard}${exp ? ` (${exp})` : ''}`;
}

/** True when the target and mesh in force for `scope` have `feature`. */
export function supports(scope: IConstruct, feature: Feature): boolean {
  return missing(feature, targetOf(scope), meshOf(scope)) === undefined;
}

/**
 * Throws a synth-time error when the target in force for `scope` lacks `feature`: it names the
 * feature, the release that introduced it, the target, and the fix (raise the target, or `without`).
 */
export function requireFeature(scope: IConstruct, prop: string, feature: Feature, without: string): void {
  const why = missing(feature, targetOf(scope), meshOf(scope));
  if (why === undefined) return;
  fail(scope, prop, `needs ${feature.title}, which the target lacks: ${why}`,
    `raise the target (useMesh(scope, mesh, { target: MeshTarget.of({ ... }) })) to a release that has it, or ${without}`);
}
