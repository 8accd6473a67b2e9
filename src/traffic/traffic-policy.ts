import { LoadBalancer } from './load-balancer';

/**
 * Connection-level settings for the traffic to a service or to one of its versions: rendered as an
 * Istio DestinationRule `trafficPolicy` (service) or subset `trafficPolicy` (version).
 * Each setting is owned by one intent; setting it twice is an error naming both.
 */
export interface TrafficPolicy {
  /** @default - the mesh's default (Istio: LEAST_REQUEST) */
  readonly loadBalancer?: LoadBalancer;
}

/** The names of the settings of a {@link TrafficPolicy}. */
export type TrafficPolicySetting = keyof TrafficPolicy;
