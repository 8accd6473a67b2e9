import { Construct } from 'constructs';
import { renderDuration } from '../core/duration';
import { HashSource, LoadBalancer } from '../traffic/load-balancer';
import { TrafficPolicy } from '../traffic/traffic-policy';
import { istioConnectionPool, istioLocalityLbSetting, istioOutlierDetection } from '../resilience/istio-render';
import { istioClientTls } from '../security/istio/client-tls';

/** Renders a load balancer as Istio's `LoadBalancerSettings`. */
export function istioLoadBalancer(scope: Construct, prop: string, lb: LoadBalancer): Record<string, unknown> {
  if (lb.algorithm) return { simple: lb.algorithm };
  const h = lb.hash!;
  switch (h.source) {
    case HashSource.HEADER: return { consistentHash: { httpHeaderName: h.name } };
    case HashSource.QUERY_PARAMETER: return { consistentHash: { httpQueryParameterName: h.name } };
    case HashSource.SOURCE_IP: return { consistentHash: { useSourceIp: true } };
    case HashSource.COOKIE: return {
      consistentHash: { httpCookie: { name: h.name, path: h.path, ttl: h.ttl ? renderDuration(scope, `${prop}.ttl`, h.ttl) : undefined } },
    };
  }
}

/**
 * Renders the mesh-agnostic {@link TrafficPolicy} as an Istio DestinationRule `trafficPolicy`,
 * or undefined when nothing is set.
 */
export function istioTrafficPolicy(scope: Construct, prop: string, policy: TrafficPolicy): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  if (policy.loadBalancer) out.loadBalancer = istioLoadBalancer(scope, `${prop}.loadBalancer`, policy.loadBalancer);
  if (policy.localityLoadBalancing) out.loadBalancer = { ...(out.loadBalancer ?? {}), localityLbSetting: istioLocalityLbSetting(policy.localityLoadBalancing) };
  if (policy.connectionPool || policy.connectionTimeouts) {
    out.connectionPool = istioConnectionPool(scope, `${prop}.connectionPool`, policy.connectionPool, policy.connectionTimeouts);
  }
  if (policy.outlierDetection) out.outlierDetection = istioOutlierDetection(scope, `${prop}.outlierDetection`, policy.outlierDetection);
  if (policy.tls) out.tls = istioClientTls(policy.tls);
  return Object.keys(out).length ? out : undefined;
}
