// Public API of the resilience area; each file here is one concept.
export * from './retry-on';
export * from './retry-policy';
export * from './connection-pool';
export * from './connection-timeouts';
export * from './outlier-detection';
export * from './failure-accrual';
export * from './fault-injection';
export * from './locality-load-balancing';
export * from './circuit-breaker-preset';
export * from './circuit-breaker-policy';
export * from './bulkhead';
export * from './request-policy';
export * from './chaos-experiment';
export * from './rate-limit';
export * from './local-rate-limit';
export * from './locality-failover';
export { LINKERD_RETRY_ANNOTATIONS, LinkerdAnnotations } from './linkerd-annotations';
