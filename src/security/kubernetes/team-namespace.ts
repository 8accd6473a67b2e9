import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { fail, quote } from '../../core/errors';
import { Mesh } from '../../core/mesh';
import { validateDnsLabel } from '../../core/names';
import { StrictMtlsNamespace, StrictMtlsNamespaceProps } from '../strict-mtls-namespace';
import { markPlatformOwned, renderTeamProtection } from './team-protection';
import { enableObjectIdentityCheck } from '../../core/object-identity';

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
  /** The team's people and automation, bound to the team's editor Role. At least one. */
  readonly members: TeamMember[];
  /** The ResourceQuota's hard limits. */
  readonly quota: TeamQuota;
  /** @default - see ContainerDefaults */
  readonly containerDefaults?: ContainerDefaults;
  /**
   * The namespace itself (injection, Pod Security, mTLS stage, deny by default).
   * @default - a STRICT, deny-by-default StrictMtlsNamespace named after the construct
   */
  readonly namespace?: StrictMtlsNamespaceProps;
  /**
   * Let the team edit PeerAuthentications, which can weaken the namespace's mTLS mode.
   * @default false
   */
  readonly allowPeerAuthentication?: boolean;
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
 */
export class TeamNamespace extends Construct {
  public readonly namespace: StrictMtlsNamespace;
  public readonly resourceQuota: ApiObject;
  public readonly limitRange: ApiObject;
  public readonly role: ApiObject;
  public readonly roleBinding: ApiObject;
  /** The ValidatingAdmissionPolicy that keeps the team's hands off platform-owned objects, and its binding. */
  public readonly protectionPolicy: ApiObject;
  public readonly protectionBinding: ApiObject;

  public constructor(scope: Construct, id: string, props: TeamNamespaceProps) {
    super(scope, id);
    enableObjectIdentityCheck(this);
    if (!Array.isArray(props.members) || props.members.length === 0 || props.members.some((m) => !(m instanceof TeamMember))) {
      fail(this, 'members', `must list at least one TeamMember, got ${quote(props.members)}`, 'pass e.g. members: [TeamMember.group("team-payments")]');
    }
    this.namespace = new StrictMtlsNamespace(this, 'Namespace', { name: id, ...props.namespace });
    const ns = this.namespace.namespaceName;
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
    this.resourceQuota = new k8s.KubeResourceQuota(this, 'ResourceQuota', { metadata: { name: `${ns}-quota`, namespace: ns }, spec: { hard } });

    const d = props.containerDefaults ?? {};
    const qty = (prop: string, v: string) => {
      if (!QUANTITY.test(v)) fail(this, `containerDefaults.${prop}`, `must be a Kubernetes quantity, got ${quote(v)}`, 'use e.g. "100m" or "128Mi"');
      return k8s.Quantity.fromString(v);
    };
    this.limitRange = new k8s.KubeLimitRange(this, 'LimitRange', {
      metadata: { name: `${ns}-defaults`, namespace: ns },
      spec: {
        limits: [{
          type: 'Container',
          defaultRequest: { cpu: qty('requestCpu', d.requestCpu ?? '100m'), memory: qty('requestMemory', d.requestMemory ?? '128Mi') },
          default: { cpu: qty('limitCpu', d.limitCpu ?? '500m'), memory: qty('limitMemory', d.limitMemory ?? '512Mi') },
        }],
      },
    });

    this.role = new k8s.KubeRole(this, 'Role', {
      metadata: { name: `${ns}-editor`, namespace: ns },
      rules: teamRoleRules(this.namespace.mesh, props.allowPeerAuthentication ?? false),
    });
    this.roleBinding = new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name: `${ns}-editor`, namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${ns}-editor` },
      subjects: props.members.map((m) => m._render()),
    });

    const protection = renderTeamProtection(this, ns, props.members);
    this.protectionPolicy = protection.policy;
    this.protectionBinding = protection.binding;
    for (const baseline of [this.namespace.allowNothing, this.namespace.defaultDeny, this.namespace.peerAuthentication]) {
      if (baseline) this.protect(baseline);
    }
  }

  /**
   * Makes an object of the namespace platform-owned (e.g. an EgressScope's Sidecar): the team's
   * members can no longer update or delete it.
   */
  public protect(target: IConstruct): void {
    markPlatformOwned(this, 'target', target);
  }
}
