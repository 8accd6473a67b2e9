import { validateDnsSubdomain } from '../../core/names';

/**
 * What an Istio security policy attaches to through `targetRefs` instead of a pod selector: a
 * Gateway API Gateway (the waypoint or gateway deployment) or a Service (ambient waypoints).
 *
 * @example
 * PolicyTargetRef.gateway('shop-gateway')
 */
export class PolicyTargetRef {
  /** A `gateway.networking.k8s.io` Gateway in the policy's namespace. */
  public static gateway(name: string): PolicyTargetRef {
    return new PolicyTargetRef('gateway.networking.k8s.io', 'Gateway', validateDnsSubdomain('PolicyTargetRef.gateway', 'name', name));
  }

  /** A Service in the policy's namespace (enforced by its waypoint in ambient mode). */
  public static service(name: string): PolicyTargetRef {
    return new PolicyTargetRef('', 'Service', validateDnsSubdomain('PolicyTargetRef.service', 'name', name));
  }

  private constructor(public readonly group: string, public readonly kind: string, public readonly name: string) {}

  /** @internal */
  public _render(): { group: string; kind: string; name: string } {
    return { group: this.group, kind: this.kind, name: this.name };
  }
}
