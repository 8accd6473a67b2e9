// Public API of the egress area; each file here is one concept.
export * from '../istio/service-entry';
export * from '../istio/sidecar';
export * from './external-service';
export * from './egress-scope';
