import type { ClientTls } from '../security/client-tls';
import type { ConnectionPool } from '../resilience/connection-pool';
import type { ConnectionTimeouts } from '../resilience/connection-timeouts';
import type { LocalityLoadBalancing } from '../resilience/locality-load-balancing';
import type { OutlierDetection } from '../resilience/outlier-detection';
import { LoadBalancer } from './load-balancer';

/**
 * Connection-level settings for the traffic to a service or to one of its versions: rendered as an
 * Istio DestinationRule `trafficPolicy` (service) or subset `trafficPolicy` (version).
 * Each setting is owned by one intent; setting it twice is an error naming both.
 */
export interface TrafficPolicy {
  /** @default - the mesh's default (Istio: LEAST_REQUEST) */
  readonly loadBalancer?: LoadBalancer;
  /**
   * Connection-pool limits (Istio `trafficPolicy.connectionPool`); set by CircuitBreakerPolicy / Bulkhead.
   * @default - unlimited
   */
  readonly connectionPool?: ConnectionPool;
  /**
   * TCP connect and idle-connection timeouts (Istio `trafficPolicy.connectionPool.tcp.connectTimeout`
   * / `http.idleTimeout`), rendered into the same `connectionPool` as `connectionPool`'s limits;
   * set by RequestPolicy. A timeout set in both is an error.
   * @default - the mesh's defaults (Istio: 10s connect, 1h idle)
   */
  readonly connectionTimeouts?: ConnectionTimeouts;
  /**
   * Passive health checking (Istio `trafficPolicy.outlierDetection`); set by CircuitBreakerPolicy.
   * @default - none
   */
  readonly outlierDetection?: OutlierDetection;
  /**
   * Locality-aware load balancing (Istio `trafficPolicy.loadBalancer.localityLbSetting`); needs outlierDetection.
   * @default - the mesh's locality settings
   */
  readonly localityLoadBalancing?: LocalityLoadBalancing;
  /**
   * The TLS clients use towards the service (Istio DestinationRule `trafficPolicy.tls`).
   * @default - Istio auto-mTLS: ISTIO_MUTUAL to meshed servers
   */
  readonly tls?: ClientTls;
}

/** The names of the settings of a {@link TrafficPolicy}. */
export type TrafficPolicySetting = keyof TrafficPolicy;
