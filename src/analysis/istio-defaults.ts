import { IndexedServicePort } from './indexed';

/** Istio's root namespace, where its control plane and default gateways run. */
export const ISTIO_ROOT_NAMESPACE = 'istio-system';

/**
 * The pod labels of Istio's default ingress gateway. `istioctl analyze` without a cluster assumes
 * this gateway exists (a pod with these labels and the Service below in `istio-system`), and so
 * does this analysis: Gateways and policies selecting it are not reported for want of its pods.
 */
export const DEFAULT_INGRESS_GATEWAY_LABELS: Readonly<Record<string, string>> = { istio: 'ingressgateway' };

/** The ports of the `istio-ingressgateway` Service `istioctl analyze` assumes (port = target port). */
export const DEFAULT_INGRESS_GATEWAY_PORTS: readonly IndexedServicePort[] = [
  { port: 80, name: 'http2', protocol: 'TCP' },
  { port: 443, name: 'https', protocol: 'TCP' },
  { port: 31400, name: 'tcp', protocol: 'TCP' },
  { port: 15443, name: 'tls', protocol: 'TCP' },
];

/** True if pods with `selector`'s labels include Istio's default ingress gateway. */
export function selectsDefaultIngressGateway(selector: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => DEFAULT_INGRESS_GATEWAY_LABELS[k] === v);
}
