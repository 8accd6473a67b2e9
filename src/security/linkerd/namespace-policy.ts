import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { LinkerdAccessPolicy } from './server';

/** The annotation holding a namespace's (or pod's) default inbound policy. */
export const DEFAULT_INBOUND_POLICY_ANNOTATION = 'config.linkerd.io/default-inbound-policy';

/**
 * The default inbound policy of `namespace` as this app defines it: the annotation of its
 * Namespace object (a StrictMtlsNamespace writes one), or undefined when the app has no such
 * Namespace or it has no annotation. Read at synth time, when every construct exists.
 */
export function namespaceInboundPolicy(scope: IConstruct, namespace: string): string | undefined {
  for (const c of scope.node.root.node.findAll()) {
    if (!ApiObject.isApiObject(c) || c.kind !== 'Namespace' || c.apiGroup !== 'core' || c.metadata.name !== namespace) continue;
    const value = c.metadata.toJson().annotations?.[DEFAULT_INBOUND_POLICY_ANNOTATION];
    if (value !== undefined) return value;
  }
  return undefined;
}

/** True when `value` is a policy a Server's `accessPolicy` accepts. */
export function isLinkerdAccessPolicy(value: string | undefined): value is LinkerdAccessPolicy {
  return Object.values(LinkerdAccessPolicy).includes(value as LinkerdAccessPolicy);
}
