import { k8s } from 'cdk8s-plus-27';
import { fail, quote } from '../../core/errors';

/** A Kubernetes RBAC verb. There is no `*`: a team Role names what it grants. */
export enum RbacVerb {
  GET = 'get',
  LIST = 'list',
  WATCH = 'watch',
  CREATE = 'create',
  UPDATE = 'update',
  PATCH = 'patch',
  DELETE = 'delete',
  DELETECOLLECTION = 'deletecollection',
}

/** The verbs that only read. */
export const READ_VERBS: RbacVerb[] = [RbacVerb.GET, RbacVerb.LIST, RbacVerb.WATCH];

/** Whether a verb changes objects (so its subjects fall under the platform-owned protection). */
function isWriteVerb(verb: RbacVerb): boolean {
  return !READ_VERBS.includes(verb);
}

const API_GROUP = /^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const RESOURCE = /^[a-z][a-z0-9]*(\/[a-z]+)?$/;

/**
 * A resource kind a Role grants access to: its API group and plural resource name (`pods`,
 * `virtualservices`, a subresource as `pods/log`).
 */
export class RoleResource {
  public static readonly CONFIG_MAPS = new RoleResource('', 'configmaps');
  public static readonly SERVICES = new RoleResource('', 'services');
  public static readonly PODS = new RoleResource('', 'pods');
  public static readonly POD_LOGS = new RoleResource('', 'pods/log');
  public static readonly EVENTS = new RoleResource('', 'events');
  public static readonly DEPLOYMENTS = new RoleResource('apps', 'deployments');
  public static readonly STATEFUL_SETS = new RoleResource('apps', 'statefulsets');
  public static readonly NETWORK_POLICIES = new RoleResource('networking.k8s.io', 'networkpolicies');
  public static readonly VIRTUAL_SERVICES = new RoleResource('networking.istio.io', 'virtualservices');
  public static readonly DESTINATION_RULES = new RoleResource('networking.istio.io', 'destinationrules');
  public static readonly AUTHORIZATION_POLICIES = new RoleResource('security.istio.io', 'authorizationpolicies');
  public static readonly HTTP_ROUTES = new RoleResource('gateway.networking.k8s.io', 'httproutes');

  /**
   * Any resource: `RoleResource.of('argoproj.io', 'rollouts')`; the core group is `''`.
   */
  public static of(apiGroup: string, resource: string): RoleResource {
    if (typeof apiGroup !== 'string' || !API_GROUP.test(apiGroup)) fail('RoleResource.of', 'apiGroup', `must be an API group such as "apps" ("" for the core group), got ${quote(apiGroup)}`, 'pass the group of the kind\'s apiVersion, without the version');
    if (typeof resource !== 'string' || !RESOURCE.test(resource)) fail('RoleResource.of', 'resource', `must be a lower-case plural resource name (or resource/subresource), got ${quote(resource)}`, 'pass e.g. "deployments" or "pods/log" (no "*": name what the Role grants)');
    return new RoleResource(apiGroup, resource);
  }

  private constructor(public readonly apiGroup: string, public readonly resource: string) {}
}

/** A rule of a Role: verbs on resources (one PolicyRule per API group). */
export class RoleRule {
  /** get, list and watch on the resources. */
  public static readOnly(...resources: RoleResource[]): RoleRule {
    return RoleRule.allow(resources, READ_VERBS);
  }

  /** The given verbs on the resources. */
  public static allow(resources: RoleResource[], verbs: RbacVerb[]): RoleRule {
    const where = 'RoleRule.allow';
    if (!Array.isArray(resources) || resources.length === 0 || resources.some((r) => !(r instanceof RoleResource))) {
      fail(where, 'resources', `must list at least one RoleResource, got ${quote(resources)}`, 'pass e.g. [RoleResource.DEPLOYMENTS] or RoleResource.of("apps", "daemonsets")');
    }
    const known = Object.values(RbacVerb) as string[];
    if (!Array.isArray(verbs) || verbs.length === 0 || verbs.some((v) => !known.includes(v))) {
      fail(where, 'verbs', `must list at least one RbacVerb, got ${quote(verbs)}`, 'pass e.g. [RbacVerb.GET, RbacVerb.LIST]');
    }
    return new RoleRule(resources, [...new Set(verbs)]);
  }

  private constructor(public readonly resources: RoleResource[], public readonly verbs: RbacVerb[]) {}

  /** Whether the rule lets its subjects change objects. */
  public get writes(): boolean {
    return this.verbs.some(isWriteVerb);
  }

  /** @internal the rule as PolicyRules, one per API group, in first-seen order */
  public _render(): k8s.PolicyRule[] {
    const byGroup = new Map<string, string[]>();
    for (const r of this.resources) {
      const list = byGroup.get(r.apiGroup) ?? [];
      if (!list.includes(r.resource)) list.push(r.resource);
      byGroup.set(r.apiGroup, list);
    }
    return [...byGroup].map(([g, resources]) => ({ apiGroups: [g], resources, verbs: [...this.verbs] }));
  }
}
