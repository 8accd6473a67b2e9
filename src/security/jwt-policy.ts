import { Construct } from 'constructs';
import { fail, quote } from '../core/errors';
import { Mesh, meshOf } from '../core/mesh';
import { validateDnsLabel } from '../core/names';
import { MeshService } from '../service/mesh-service';
import { AuthorizationCondition } from './istio/authorization-condition';
import { AuthorizationAction, AuthorizationPolicy } from './istio/authorization-policy';
import { AuthorizationRule } from './istio/authorization-rule';
import { JwtRule, RequestAuthentication } from './istio/request-authentication';
import { validateSelector } from './selector';

/** Options of {@link JwtTarget.ingressGateway}. */
export interface IngressGatewayTargetOptions {
  /** @default 'istio-system' */
  readonly namespace?: string;
  /** @default { istio: 'ingressgateway' } */
  readonly selector?: Record<string, string>;
}

/** Where a {@link JwtPolicy} checks tokens. */
export class JwtTarget {
  /** At the ingress gateway: every request entering the mesh through it. */
  public static ingressGateway(options: IngressGatewayTargetOptions = {}): JwtTarget {
    return new JwtTarget(
      validateDnsLabel('JwtTarget.ingressGateway', 'namespace', options.namespace ?? 'istio-system'),
      validateSelector('JwtTarget.ingressGateway', 'selector', options.selector ?? { istio: 'ingressgateway' }),
      'ingressgateway',
    );
  }

  /** At a service's pods. */
  public static service(service: MeshService): JwtTarget {
    if (!MeshService.isMeshService(service)) fail('JwtTarget.service', 'service', `must be a MeshService, got ${quote(service)}`, 'pass the MeshService');
    return new JwtTarget(service.namespace, service.selector, service.serviceName);
  }

  private constructor(public readonly namespace: string, public readonly selector: Record<string, string>, public readonly name: string) {}
}

/** How a {@link JwtPolicy} enforces the token. */
export enum JwtEnforcement {
  /**
   * An ALLOW policy admitting requests with a valid token (and the claims). ALLOW policies are
   * ORed: other ALLOW policies on the same pods still admit their requests without a token.
   */
  ALLOW_VALID = 'allow-valid',
  /**
   * DENY policies rejecting requests without a valid token or without the claims: the token is
   * required whatever else is allowed (use on services that also have allow rules).
   */
  DENY_OTHERS = 'deny-others',
}

/** Props of a {@link JwtPolicy}. */
export interface JwtPolicyProps {
  readonly target: JwtTarget;
  /** The trusted issuers. */
  readonly jwtRules: JwtRule[];
  /**
   * Claims the token must carry, e.g. `AuthorizationCondition.claim('role').in('admin', 'user')`.
   * @default - any valid token
   */
  readonly requiredClaims?: AuthorizationCondition[];
  /** @default JwtEnforcement.ALLOW_VALID */
  readonly enforcement?: JwtEnforcement;
  /**
   * The base name of the resources.
   * @default - `<service>-jwt`, or `ingressgateway-jwt`
   */
  readonly name?: string;
}

/**
 * Requires a valid JWT (and claims) — at the ingress gateway or on a service (Istio): a
 * `RequestAuthentication` trusting the issuers, plus the AuthorizationPolicy that makes the token
 * mandatory (RequestAuthentication alone lets requests without a token through).
 */
export class JwtPolicy extends Construct {
  public readonly requestAuthentication: RequestAuthentication;
  public readonly authorizationPolicy: AuthorizationPolicy;

  public constructor(scope: Construct, id: string, props: JwtPolicyProps) {
    super(scope, id);
    const mesh = meshOf(this);
    if (mesh !== Mesh.ISTIO) {
      fail(this, 'mesh', `is ${mesh}, which has no JWT validation resource`, 'validate tokens at your ingress controller or API gateway, or use Mesh.ISTIO');
    }
    if (!(props.target instanceof JwtTarget)) fail(this, 'target', `must be a JwtTarget, got ${quote(props.target)}`, 'use JwtTarget.ingressGateway() or JwtTarget.service(svc)');
    const enforcement = props.enforcement ?? JwtEnforcement.ALLOW_VALID;
    if (!Object.values(JwtEnforcement).includes(enforcement)) fail(this, 'enforcement', `must be a JwtEnforcement, got ${quote(enforcement)}`, 'use JwtEnforcement.ALLOW_VALID or DENY_OTHERS');
    const claims = props.requiredClaims ?? [];
    claims.forEach((c, i) => {
      if (!(c instanceof AuthorizationCondition) || !c.key.startsWith('request.auth.')) {
        fail(this, `requiredClaims[${i}]`, `must be a condition on the token, got ${quote(c)}`, 'use AuthorizationCondition.claim("role").in("admin", "user")');
      }
    });
    const name = props.name ?? `${props.target.name}-jwt`;
    const { namespace, selector } = props.target;
    this.requestAuthentication = new RequestAuthentication(this, 'RequestAuthentication', { name, namespace, selector, jwtRules: props.jwtRules });

    let rules: AuthorizationRule[];
    if (enforcement === JwtEnforcement.ALLOW_VALID) {
      rules = [{ from: [{ requestPrincipals: ['*'] }], when: claims.length ? claims : undefined }];
    } else {
      rules = [
        { from: [{ notRequestPrincipals: ['*'] }] },
        ...claims.map((c) => ({ when: [new AuthorizationCondition(c.key, c.notValues, c.values)] })),
      ];
    }
    this.authorizationPolicy = new AuthorizationPolicy(this, 'AuthorizationPolicy', {
      name: `${name}-require`,
      namespace,
      selector,
      action: enforcement === JwtEnforcement.ALLOW_VALID ? AuthorizationAction.ALLOW : AuthorizationAction.DENY,
      rules,
    });
  }
}
