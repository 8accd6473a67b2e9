// Public API of the ingress area; each file here is one concept.
export * from '../istio/gateway';
export * from '../gateway-api/gateway';
export * from './ingress-tls';
export * from './ingress-gateway';
export * from '../gateway-api/reference-grant';
