/** The namespace of Linkerd's multicluster extension, where its gateway runs (`linkerd multicluster install`). */
export const LINKERD_GATEWAY_NAMESPACE = 'linkerd-multicluster';
/**
 * The ServiceAccount of Linkerd's multicluster gateway (the chart's `gateway.name`): a service
 * reached through the gateway sees this identity, not the caller's.
 */
export const LINKERD_GATEWAY_SERVICE_ACCOUNT = 'linkerd-gateway';
