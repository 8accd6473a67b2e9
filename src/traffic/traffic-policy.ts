import type { ClientTls } from '../security/client-tls';
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
   * The TLS clients use towards the service (Istio DestinationRule `trafficPolicy.tls`).
   * @default - Istio auto-mTLS: ISTIO_MUTUAL to meshed servers
   */
  readonly tls?: ClientTls;
}

/** The names of the settings of a {@link TrafficPolicy}. */
export type TrafficPolicySetting = keyof TrafficPolicy;
