import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { fail, quote } from '../../core/errors';
import { Mesh } from '../../core/mesh';
import { validateDnsLabel, validateDnsSubdomain } from '../../core/names';
import { StrictMtlsNamespace, StrictMtlsNamespaceProps } from '../strict-mtls-namespace';
import { markPlatformOwned, renderTeamProtection } from './team-protection';
import { enableObjectIdentityCheck } from '../../core/object-identity';
import { READ_VERBS, RoleRule } from './rbac';
import { chosenName } from '../../core/object-names';
import { TeamNamespaceNames } from './team-namespace-names';

const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

/** Hard limits of a team's ResourceQuota, as Kubernetes quantities (`"4"`, `"500m"`, `"8Gi"`). Give at least one. */
export interface TeamQuota {
  /** @default - no limit */
  readonly requestsCpu?: string;
  /** @default - no limit */
  readonly requestsMemory?: string;
  /** @default - no limit */
  readonly limitsCpu?: string;
  /** @default - no limit */
  readonly limitsMemory?: string;
  /** @default - no limit */
  readonly pods?: number;
}

/** Per-container defaults of the team's LimitRange (so pods without resources pass the quota). */
export interface ContainerDefaults {
  /** @default '100m' */
  readonly requestCpu?: string;
  /** @default '128Mi' */
  readonly requestMemory?: string;
  /** @default '500m' */
  readonly limitCpu?: string;
  /** @default '512Mi' */
  readonly limitMemory?: string;
}

/** A subject of the team's RoleBinding. */
export class TeamMember {
  public static group(name: string): TeamMember {
    return new TeamMember('Group', check('TeamMember.group', name));
  }
  public static user(name: string): TeamMember {
    return new TeamMember('User', check('TeamMember.user', name));
  }
  public static serviceAccount(name: string, namespace: string): TeamMember {
    return new TeamMember('ServiceAccount', validateDnsLabel('TeamMember.serviceAccount', 'name', name), validateDnsLabel('TeamMember.serviceAccount', 'namespace', namespace));
  }
  private constructor(public readonly kind: string, public readonly name: string, public readonly namespace?: string) {}

  /** @internal the subject's identity, for de-duplication */
  public get _key(): string {
    return `${this.kind}/${this.namespace ?? ''}/${this.name}`;
  }

  /** @internal */
  public _render(): k8s.Subject {
    return this.kind === 'ServiceAccount'
      ? { kind: this.kind, name: this.name, namespace: this.namespace }
      : { kind: this.kind, name: this.name, apiGroup: 'rbac.authorization.k8s.io' };
  }
}

function check(where: string, name: string): string {
  if (typeof name !== 'string' || name.trim() === '') fail(where, 'name', `must be a non-empty string, got ${quote(name)}`, 'give the group or user name of your identity provider');
  return name;
}

/** Props of a {@link TeamNamespace}. */
export interface TeamNamespaceProps {
  /**
   * The team's people and automation, bound to the team's editor Role (`<ns>-editor`). Leave it
   * out (or empty) for a namespace the team only reads or gets custom Roles in: then neither the
   * editor Role nor its RoleBinding is rendered.
   * @default - no editor Role
   */
  readonly members?: TeamMember[];
  /**
   * Subjects bound to a read-only Role (`<ns>-reader`: get, list and watch on every kind the
   * editor Role covers, PeerAuthentications included, plus pods, logs and events).
   * @default - no reader Role
   */
  readonly readers?: TeamMember[];
  /** The ResourceQuota's hard limits. */
  readonly quota: TeamQuota;
  /** @default - see ContainerDefaults */
  readonly containerDefaults?: ContainerDefaults;
  /**
   * The namespace itself (injection, Pod Security, mTLS stage, deny by default). Leave out parts of
   * the baseline here: `denyByDefault: false` renders no `allow-nothing` (nor the NetworkPolicy),
   * `networkPolicies: false` no `default-deny` NetworkPolicy; what is not rendered is not protected.
   * @default - a STRICT, deny-by-default StrictMtlsNamespace named after the construct, with the default-deny NetworkPolicy
   */
  readonly namespace?: StrictMtlsNamespaceProps;
  /**
   * Let the team edit PeerAuthentications, which can weaken the namespace's mTLS mode.
   * @default false
   */
  readonly allowPeerAuthentication?: boolean;
  /**
   * Names for the quota, limits, Roles and protection, to keep those of existing objects.
   * @default - see TeamNamespaceNames
   */
  readonly names?: TeamNamespaceNames;
}

/** A custom Role of a team namespace and the subjects bound to it. */
export interface TeamRoleOptions {
  /** The Role's and its RoleBinding's name (unique in the namespace). */
  readonly name: string;
  /** What the Role grants. At least one. */
  readonly rules: RoleRule[];
  /** Who is bound to it. At least one. */
  readonly subjects: TeamMember[];
}

const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/**
 * The RBAC rules a team needs for its workloads and its mesh's resource kinds.
 * @internal
 */
export function teamRoleRules(mesh: Mesh, allowPeerAuthentication: boolean): k8s.PolicyRule[] {
  const rules: Array<[string, string[]]> = [
    ['', ['configmaps', 'services', 'serviceaccounts']],
    ['apps', ['deployments', 'statefulsets']],
    ['autoscaling', ['horizontalpodautoscalers']],
    ['policy', ['poddisruptionbudgets']],
    ['networking.k8s.io', ['networkpolicies']],
  ];
  if (mesh === Mesh.ISTIO) {
    rules.push(['networking.istio.io', ['destinationrules', 'serviceentries', 'sidecars', 'virtualservices']]);
    rules.push(['security.istio.io', ['authorizationpolicies', ...(allowPeerAuthentication ? ['peerauthentications'] : []), 'requestauthentications']]);
    rules.push(['telemetry.istio.io', ['telemetries']]);
  } else {
    rules.push(['gateway.networking.k8s.io', ['grpcroutes', 'httproutes']]);
  }
  if (mesh === Mesh.LINKERD) rules.push(['policy.linkerd.io', ['authorizationpolicies', 'httproutes', 'meshtlsauthentications', 'networkauthentications', 'servers']]);
  if (mesh === Mesh.CILIUM) rules.push(['cilium.io', ['ciliumnetworkpolicies']]);
  const out: k8s.PolicyRule[] = rules.map(([g, r]) => ({ apiGroups: [g], resources: r, verbs: VERBS }));
  out.push({ apiGroups: [''], resources: ['pods', 'pods/log', 'events'], verbs: ['get', 'list', 'watch'] });
  return out;
}

/**
 * A namespace per team: a {@link StrictMtlsNamespace} plus a ResourceQuota, a LimitRange giving
 * containers default requests and limits, and an editor Role (workloads and the mesh kinds a team
 * may edit, with their API groups) bound to the team's members. The namespace's baseline
 * (`allow-nothing`, `default-deny`, the `default` PeerAuthentication) is platform-owned: a
 * ValidatingAdmissionPolicy refuses the members any update or delete of it, since the Role's
 * rights on those kinds would otherwise allow both. Mark more objects with {@link protect}.
 * Members, readers (a read-only Role) and custom Roles ({@link addRole}) are each optional.
 */
export class TeamNamespace extends Construct {
  public readonly namespace: StrictMtlsNamespace;
  public readonly resourceQuota: ApiObject;
  public readonly limitRange: ApiObject;
  /** The editor Role (when there are members). */
  public readonly role?: ApiObject;
  public readonly roleBinding?: ApiObject;
  /** The read-only Role (when there are readers). */
  public readonly readerRole?: ApiObject;
  public readonly readerRoleBinding?: ApiObject;
  /**
   * The ValidatingAdmissionPolicy that keeps the team's hands off platform-owned objects, and its
   * binding: rendered once anyone may write (members, or the subjects of a custom Role that writes).
   */
  public get protectionPolicy(): ApiObject | undefined {
    return this.protection?.policy;
  }
  public get protectionBinding(): ApiObject | undefined {
    return this.protection?.binding;
  }
  private protection?: { policy: ApiObject; binding: ApiObject };
  private readonly writers: TeamMember[] = [];
  private readonly protectionName: string;

  public constructor(scope: Construct, id: string, props: TeamNamespaceProps) {
    super(scope, id);
    enableObjectIdentityCheck(this);
    const members = this.subjects('members', props.members ?? [], false);
    const readers = this.subjects('readers', props.readers ?? [], false);
    this.namespace = new StrictMtlsNamespace(this, 'Namespace', { name: id, ...props.namespace });
    const ns = this.namespace.namespaceName;
    const names = props.names ?? {};
    const rbac = 'rbac.authorization.k8s.io/Role';
    this.protectionName = chosenName(this, 'names.protectionPolicy', 'admissionregistration.k8s.io/ValidatingAdmissionPolicy', names.protectionPolicy, `${ns}-platform-owned`);
    const q = props.quota ?? {};
    const hard: Record<string, k8s.Quantity> = {};
    const quantity = (prop: string, key: string, v: string | undefined) => {
      if (v === undefined) return;
      if (typeof v !== 'string' || !QUANTITY.test(v)) fail(this, `quota.${prop}`, `must be a Kubernetes quantity, got ${quote(v)}`, 'use e.g. "4", "500m" or "8Gi"');
      hard[key] = k8s.Quantity.fromString(v);
    };
    quantity('requestsCpu', 'requests.cpu', q.requestsCpu);
    quantity('requestsMemory', 'requests.memory', q.requestsMemory);
    quantity('limitsCpu', 'limits.cpu', q.limitsCpu);
    quantity('limitsMemory', 'limits.memory', q.limitsMemory);
    if (q.pods !== undefined) {
      if (!Number.isInteger(q.pods) || q.pods < 1) fail(this, 'quota.pods', `must be a positive whole number, got ${quote(q.pods)}`, 'use e.g. 50');
      hard.pods = k8s.Quantity.fromNumber(q.pods);
    }
    if (Object.keys(hard).length === 0) fail(this, 'quota', 'sets no limit', 'give at least one of requestsCpu, requestsMemory, limitsCpu, limitsMemory, pods');
    this.resourceQuota = new k8s.KubeResourceQuota(this, 'ResourceQuota', {
      metadata: { name: chosenName(this, 'names.resourceQuota', '/ResourceQuota', names.resourceQuota, `${ns}-quota`), namespace: ns }, spec: { hard },
    });

    const d = props.containerDefaults ?? {};
    const qty = (prop: string, v: string) => {
      if (!QUANTITY.test(v)) fail(this, `containerDefaults.${prop}`, `must be a Kubernetes quantity, got ${quote(v)}`, 'use e.g. "100m" or "128Mi"');
      return k8s.Quantity.fromString(v);
    };
    this.limitRange = new k8s.KubeLimitRange(this, 'LimitRange', {
      metadata: { name: chosenName(this, 'names.limitRange', '/LimitRange', names.limitRange, `${ns}-defaults`), namespace: ns },
      spec: {
        limits: [{
          type: 'Container',
          defaultRequest: { cpu: qty('requestCpu', d.requestCpu ?? '100m'), memory: qty('requestMemory', d.requestMemory ?? '128Mi') },
          default: { cpu: qty('limitCpu', d.limitCpu ?? '500m'), memory: qty('limitMemory', d.limitMemory ?? '512Mi') },
        }],
      },
    });

    if (members.length) {
      [this.role, this.roleBinding] = this.bind('', chosenName(this, 'names.editorRole', rbac, names.editorRole, `${ns}-editor`), teamRoleRules(this.namespace.mesh, props.allowPeerAuthentication ?? false), members);
    }
    if (readers.length) {
      const rules = teamRoleRules(this.namespace.mesh, true).map((r) => ({ ...r, verbs: [...READ_VERBS] }));
      [this.readerRole, this.readerRoleBinding] = this.bind('Reader', chosenName(this, 'names.readerRole', rbac, names.readerRole, `${ns}-reader`), rules, readers);
    }
    this.addWriters(members);
    for (const baseline of [this.namespace.allowNothing, this.namespace.defaultDeny, this.namespace.peerAuthentication]) {
      if (baseline) this.protect(baseline);
    }
  }

  /**
   * Adds a Role with the given rules and a RoleBinding of the same name for the subjects. When a
   * rule writes, the subjects fall under the platform-owned protection as the members do.
   */
  public addRole(options: TeamRoleOptions): ApiObject {
    const prop = `roles[${quote(options?.name)}]`;
    if (!options || typeof options !== 'object') fail(this, 'role', `must be TeamRoleOptions, got ${quote(options)}`, 'pass { name, rules, subjects }');
    if (typeof options.name !== 'string') fail(this, `${prop}.name`, `must be a Role name, got ${quote(options.name)}`, 'pass e.g. "deployer"');
    validateDnsSubdomain(this, `${prop}.name`, options.name);
    const id = `Custom-${options.name}`;
    if (this.node.tryFindChild(`${id}Role`) || [this.role, this.readerRole].some((r) => r?.name === options.name)) {
      fail(this, `${prop}.name`, 'is already a Role of this namespace', 'give each Role its own name');
    }
    if (!Array.isArray(options.rules) || options.rules.length === 0 || options.rules.some((r) => !(r instanceof RoleRule))) {
      fail(this, `${prop}.rules`, `must list at least one RoleRule, got ${quote(options.rules)}`, 'pass e.g. [RoleRule.readOnly(RoleResource.DEPLOYMENTS)]');
    }
    const subjects = this.subjects(`${prop}.subjects`, options.subjects, true);
    const [role] = this.bind(id, options.name, options.rules.flatMap((r) => r._render()), subjects);
    if (options.rules.some((r) => r.writes)) this.addWriters(subjects);
    return role;
  }

  private subjects(prop: string, list: TeamMember[], required: boolean): TeamMember[] {
    if (!Array.isArray(list) || (required && list.length === 0) || list.some((m) => !(m instanceof TeamMember))) {
      fail(this, prop, `must list ${required ? 'at least one TeamMember' : 'TeamMembers'}, got ${quote(list)}`, 'pass e.g. [TeamMember.group("team-payments")]');
    }
    return list;
  }

  private bind(id: string, name: string, rules: k8s.PolicyRule[], subjects: TeamMember[]): [ApiObject, ApiObject] {
    const ns = this.namespace.namespaceName;
    const role = new k8s.KubeRole(this, `${id}Role`, { metadata: { name, namespace: ns }, rules });
    const binding = new k8s.KubeRoleBinding(this, `${id}RoleBinding`, {
      metadata: { name, namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: subjects.map((m) => m._render()),
    });
    return [role, binding];
  }

  /** Subjects who may change objects: the protection refuses them updates and deletes of the platform's. */
  private addWriters(subjects: TeamMember[]): void {
    for (const m of subjects) {
      if (!this.writers.some((w) => w._key === m._key)) this.writers.push(m);
    }
    if (this.writers.length && !this.protection) this.protection = renderTeamProtection(this, this.namespace.namespaceName, this.protectionName, this.writers);
  }

  /**
   * Makes an object of the namespace platform-owned (e.g. an EgressScope's Sidecar): the team's
   * members can no longer update or delete it.
   */
  public protect(target: IConstruct): void {
    markPlatformOwned(this, 'target', target);
  }
}
