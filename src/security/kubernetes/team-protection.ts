import { ApiObject, Chart, JsonPatch, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { fail, quote } from '../../core/errors';

/** The label that marks an object in a team namespace as the platform's: the team may not change or delete it. */
export const PLATFORM_OWNED_LABEL = 'mesh.cdk8s.io/platform-owned';

/** A team member as the API server sees the requester (`request.userInfo`). */
export interface TeamIdentity {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/**
 * Marks an object as platform-owned (the label {@link PLATFORM_OWNED_LABEL}: "true"), so that the
 * team's ValidatingAdmissionPolicy refuses its updates and deletes by the team.
 */
export function markPlatformOwned(scope: IConstruct, prop: string, target: IConstruct): void {
  const obj = target instanceof ApiObject ? target : target.node.defaultChild;
  if (!(obj instanceof ApiObject)) fail(scope, prop, `must be a Kubernetes object or an L2 wrapping one, got ${quote(target?.node?.path ?? target)}`, 'pass the construct that renders the object (e.g. a NetworkPolicy or a Sidecar)');
  obj.metadata.addLabel(PLATFORM_OWNED_LABEL, 'true');
}

/** `'a', 'b'` as a CEL list body. */
function celList(values: string[]): string {
  return values.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ');
}

/** The CEL condition "the request comes from one of the team's members". */
export function teamMemberCondition(members: TeamIdentity[]): string {
  const groups = members.filter((m) => m.kind === 'Group').map((m) => m.name);
  const users = members.filter((m) => m.kind !== 'Group').map((m) => (m.kind === 'ServiceAccount' ? `system:serviceaccount:${m.namespace}:${m.name}` : m.name));
  const parts: string[] = [];
  if (users.length) parts.push(`request.userInfo.username in [${celList(users)}]`);
  if (groups.length) parts.push(`(has(request.userInfo.groups) && request.userInfo.groups.exists(g, g in [${celList(groups)}]))`);
  return parts.join(' || ');
}

/**
 * RBAC has no deny: a Role that lets a team edit NetworkPolicies lets it delete the namespace's
 * `default-deny` too, and resourceNames cannot list the objects a team has yet to create. So the
 * platform's objects carry {@link PLATFORM_OWNED_LABEL}, and a ValidatingAdmissionPolicy
 * (admissionregistration.k8s.io/v1, GA since Kubernetes 1.30) refuses the team's members any
 * update or delete of a labelled object in the namespace (an update that removes the label
 * included: the old object is matched). Requests of anyone else (the GitOps controller) pass.
 */
export function renderTeamProtection(scope: Construct, namespace: string, name: string, members: TeamIdentity[]): { policy: ApiObject; binding: ApiObject } {
  const policy = new ApiObject(scope, 'PlatformOwnedPolicy', {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
        objectSelector: { matchLabels: { [PLATFORM_OWNED_LABEL]: 'true' } },
        resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], operations: ['UPDATE', 'DELETE'] }],
      },
      // lazy: a TeamNamespace adds the subjects of custom Roles that write after construction
      matchConditions: [{ name: 'team-member', expression: Lazy.any({ produce: () => teamMemberCondition(members) }) }],
      validations: [{
        expression: 'false',
        message: `platform-owned object (label ${PLATFORM_OWNED_LABEL}) in team namespace ${namespace}: the platform's baseline (allow-nothing, default-deny, Sidecar, ...) is changed in Git by the platform, not by the team`,
        reason: 'Forbidden',
      }],
    },
  });
  const binding = new ApiObject(scope, 'PlatformOwnedBinding', {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name },
    spec: { policyName: name, validationActions: ['Deny'] },
  });
  // cluster-scoped: drop the namespace the chart gives every object
  if (Chart.of(scope).namespace !== undefined) {
    for (const o of [policy, binding]) o.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
  return { policy, binding };
}
