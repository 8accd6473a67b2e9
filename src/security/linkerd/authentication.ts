import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as l1 from '../../../imports/policy.linkerd.io';
import { fail, quote } from '../../core/errors';
import { validateDnsLabel } from '../../core/names';
import { MeshResource, MeshResourceProps } from '../../core/resource';

/** @internal Every IPv4 and IPv6 address: Linkerd's default probe networks, and its choice for unmeshed clients. */
export const ANY_NETWORK: AuthenticatedNetwork[] = [{ cidr: '0.0.0.0/0' }, { cidr: '::/0' }];

/** A ServiceAccount whose mTLS identity is trusted. */
export interface ServiceAccountRef {
  readonly name: string;
  /** @default - the authentication's namespace */
  readonly namespace?: string;
}

/** Props of a {@link MeshTlsAuthentication}: give `serviceAccounts`, `namespaces` or `identities`. */
export interface MeshTlsAuthenticationProps extends MeshResourceProps {
  /** @default - none */
  readonly serviceAccounts?: ServiceAccountRef[];
  /** Every ServiceAccount of these namespaces. @default - none */
  readonly namespaces?: string[];
  /** Raw Linkerd identities, e.g. `web.shop.serviceaccount.identity.linkerd.cluster.local`; `*` for any meshed client. @default - none */
  readonly identities?: string[];
}

/** Something a Linkerd AuthorizationPolicy can require. */
export interface ILinkerdAuthentication {
  /** @internal */
  _authenticationRef(): { group: string; kind: string; name: string; namespace?: string };
}

/**
 * A Linkerd `MeshTLSAuthentication` (policy.linkerd.io/v1alpha1): clients authenticated by their
 * mTLS identity, i.e. their ServiceAccount.
 */
export class MeshTlsAuthentication extends MeshResource implements ILinkerdAuthentication {
  public readonly apiObject: ApiObject;
  private readonly serviceAccountRefs: ServiceAccountRef[];
  private readonly namespaces: string[];
  private readonly identities: string[];
  private readonly sources: Array<() => Array<{ name?: string; namespace?: string }>> = [];

  public constructor(scope: Construct, id: string, props: MeshTlsAuthenticationProps = {}) {
    super(scope, id, props);
    this.serviceAccountRefs = (props.serviceAccounts ?? []).map((s, i) => this.checkRef(`serviceAccounts[${i}]`, s));
    this.namespaces = (props.namespaces ?? []).map((n, i) => validateDnsLabel(this, `namespaces[${i}]`, n));
    this.identities = [...(props.identities ?? [])];
    this.identities.forEach((x, i) => {
      if (typeof x !== 'string' || !(x === '*' || /^(\*\.)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(x))) {
        fail(this, `identities[${i}]`, `is not a Linkerd identity, got ${quote(x)}`, 'use e.g. "web.shop.serviceaccount.identity.linkerd.cluster.local" or "*"');
      }
    });
    this.apiObject = new l1.MeshTlsAuthentication(this, 'Resource', {
      metadata: this.metadata(props),
      spec: Lazy.any({ produce: () => this._toKube() }) as l1.MeshTlsAuthenticationSpec,
    });
    this.node.addValidation({
      validate: () => (this.sources.length === 0 && this.serviceAccountRefs.length + this.namespaces.length + this.identities.length === 0
        ? [`${this.node.path}: serviceAccounts is empty and so are namespaces and identities: the authentication would match no client. Fix: list the callers' ServiceAccounts, e.g. serviceAccounts: [{ name: "productpage" }]`]
        : []),
    });
  }

  /** The trusted ServiceAccounts given so far, as `namespace/name` (without synth-time sources). */
  public get serviceAccounts(): string[] {
    return this.serviceAccountRefs.map((s) => `${s.namespace ?? this.namespace ?? 'default'}/${s.name}`);
  }

  /** @internal lets an intent construct supply ServiceAccounts resolved at synth time (no name: every ServiceAccount of the namespace) */
  public _addServiceAccountSource(source: () => Array<{ name?: string; namespace?: string }>): void {
    this.sources.push(source);
  }

  private checkRef(prop: string, s: ServiceAccountRef): ServiceAccountRef {
    validateDnsLabel(this, `${prop}.name`, s?.name);
    if (s.namespace !== undefined) validateDnsLabel(this, `${prop}.namespace`, s.namespace);
    return { name: s.name, namespace: s.namespace };
  }

  /** @internal */
  public _toKube(): l1.MeshTlsAuthenticationSpec {
    const resolved = this.sources.flatMap((src) => src());
    const sas = [...this.serviceAccountRefs, ...resolved.filter((r) => r.name !== undefined).map((s, i) => this.checkRef(`serviceAccounts[${i}]`, s as ServiceAccountRef))];
    const namespaces = [...new Set([...this.namespaces, ...resolved.filter((r) => r.name === undefined).map((r) => validateDnsLabel(this, 'namespaces', r.namespace!))])].sort();
    const seen = new Set<string>();
    const unique = sas.filter((s) => {
      const key = `${s.namespace ?? ''}/${s.name}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const identityRefs = [
      ...unique.map((s) => ({ kind: 'ServiceAccount', name: s.name, namespace: s.namespace })),
      // a ServiceAccount ref without a name means every ServiceAccount of that namespace
      ...namespaces.map((n) => ({ kind: 'ServiceAccount', namespace: n })),
    ];
    return {
      identityRefs: identityRefs.length ? identityRefs : undefined,
      identities: this.identities.length ? [...this.identities] : undefined,
    };
  }

  /** @internal */
  public _authenticationRef() {
    return { group: 'policy.linkerd.io', kind: 'MeshTLSAuthentication', name: this.name };
  }
}

/** A network a {@link NetworkAuthentication} trusts. */
export interface AuthenticatedNetwork {
  /** A CIDR, e.g. `10.0.0.0/8`. */
  readonly cidr: string;
  /** @default - none */
  readonly except?: string[];
}

/** Props of a {@link NetworkAuthentication}. */
export interface NetworkAuthenticationProps extends MeshResourceProps {
  readonly networks: AuthenticatedNetwork[];
}

const CIDR = /^((\d{1,3}\.){3}\d{1,3}\/\d{1,2}|[0-9a-fA-F:]+\/\d{1,3})$/;

/**
 * A Linkerd `NetworkAuthentication` (policy.linkerd.io/v1alpha1): clients authenticated by source
 * network only (e.g. kubelet probes, unmeshed clients). Weaker than mTLS identities.
 */
export class NetworkAuthentication extends MeshResource implements ILinkerdAuthentication {
  public readonly apiObject: ApiObject;

  public constructor(scope: Construct, id: string, props: NetworkAuthenticationProps) {
    super(scope, id, props);
    if (!Array.isArray(props.networks) || props.networks.length === 0) fail(this, 'networks', 'must list at least one network', 'pass networks: [{ cidr: "10.0.0.0/8" }]');
    props.networks.forEach((n, i) => {
      for (const c of [n.cidr, ...(n.except ?? [])]) {
        if (typeof c !== 'string' || !CIDR.test(c)) fail(this, `networks[${i}]`, `has ${quote(c)}, which is not a CIDR`, 'use e.g. "10.0.0.0/8" or "0.0.0.0/0"');
      }
    });
    const spec: l1.NetworkAuthenticationSpec = { networks: props.networks.map((n) => ({ cidr: n.cidr, except: n.except ? [...n.except] : undefined })) };
    this.apiObject = new l1.NetworkAuthentication(this, 'Resource', { metadata: this.metadata(props), spec });
  }

  /** @internal */
  public _authenticationRef() {
    return { group: 'policy.linkerd.io', kind: 'NetworkAuthentication', name: this.name };
  }
}
