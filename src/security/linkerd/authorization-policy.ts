import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as l1 from '../../../imports/policy.linkerd.io';
import { fail, quote } from '../../core/errors';
import { validateDnsLabel } from '../../core/names';
import { MeshResource, MeshResourceProps } from '../../core/resource';
import { ILinkerdAuthentication, MeshTlsAuthentication, NetworkAuthentication } from './authentication';
import { LinkerdServerRoute } from './http-route';
import { LinkerdServer } from './server';

/** What a {@link LinkerdAuthorizationPolicy} authorizes traffic to. */
export class LinkerdPolicyTarget {
  /** Every request to a Server (a port of a set of pods). */
  public static server(server: LinkerdServer): LinkerdPolicyTarget {
    return new LinkerdPolicyTarget('policy.linkerd.io', 'Server', server.name, server.namespace);
  }

  /** The requests of one route of a Server. */
  public static route(route: LinkerdServerRoute): LinkerdPolicyTarget {
    return new LinkerdPolicyTarget('policy.linkerd.io', 'HTTPRoute', route.name, route.namespace);
  }

  /** Every Server of a namespace (the policy's own). */
  public static namespace(name: string): LinkerdPolicyTarget {
    return new LinkerdPolicyTarget(undefined, 'Namespace', validateDnsLabel('LinkerdPolicyTarget.namespace', 'name', name), name);
  }

  private constructor(
    /** The API group of the target (none for a Namespace). */
    public readonly group: string | undefined,
    /** The kind of the target: `Server`, `HTTPRoute` or `Namespace`. */
    public readonly kind: string,
    /** The name of the target. */
    public readonly name: string,
    /** The namespace the target is in, if known. */
    public readonly targetNamespace?: string,
  ) {}

  /**
   * The namespace the target is in, if known.
   * @deprecated use `targetNamespace` (in other languages `namespace` is only the static factory)
   * @jsii ignore
   */
  public get namespace(): string | undefined {
    return this.targetNamespace;
  }
}

/** Props of a {@link LinkerdAuthorizationPolicy}. */
export interface LinkerdAuthorizationPolicyProps extends MeshResourceProps {
  readonly target: LinkerdPolicyTarget;
  /** The authentications a client must satisfy (all of them); at least one. */
  readonly requiredAuthentications: ILinkerdAuthentication[];
}

/**
 * A Linkerd `AuthorizationPolicy` (policy.linkerd.io/v1alpha1): authorizes clients that satisfy
 * every required authentication to a Server, a route of a Server, or a namespace.
 */
export class LinkerdAuthorizationPolicy extends MeshResource {
  public readonly apiObject: ApiObject;

  public constructor(scope: Construct, id: string, props: LinkerdAuthorizationPolicyProps) {
    super(scope, id, props);
    if (!(props.target instanceof LinkerdPolicyTarget)) fail(this, 'target', `must be a LinkerdPolicyTarget, got ${quote(props.target)}`, 'use LinkerdPolicyTarget.server(server) or .route(route)');
    if (props.target.targetNamespace !== undefined && props.target.targetNamespace !== this.namespace) {
      fail(this, 'target', `is in namespace ${quote(props.target.targetNamespace)}, but the policy is in ${quote(this.namespace)}`, 'create the policy in its target\'s namespace');
    }
    const auths = props.requiredAuthentications;
    if (!Array.isArray(auths) || auths.length === 0) {
      fail(this, 'requiredAuthentications', 'must list at least one authentication: an empty list authorizes every client, even unauthenticated ones',
        'pass a MeshTlsAuthentication of the callers\' ServiceAccounts (or a NetworkAuthentication)');
    }
    auths.forEach((a, i) => {
      if (!(a instanceof MeshTlsAuthentication) && !(a instanceof NetworkAuthentication)) {
        fail(this, `requiredAuthentications[${i}]`, `must be a MeshTlsAuthentication or NetworkAuthentication, got ${quote(a)}`, 'create one and pass it');
      }
      if (a.namespace !== this.namespace) fail(this, `requiredAuthentications[${i}]`, `is in namespace ${quote(a.namespace)}, not ${quote(this.namespace)}`, 'create the authentication in the policy\'s namespace');
    });
    const spec: l1.AuthorizationPolicySpec = {
      targetRef: { group: props.target.group, kind: props.target.kind, name: props.target.name },
      requiredAuthenticationRefs: auths.map((a) => a._authenticationRef()),
    };
    this.apiObject = new l1.AuthorizationPolicy(this, 'Resource', { metadata: this.metadata(props), spec });
  }
}
