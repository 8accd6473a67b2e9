import { Construct } from 'constructs';
import { fail, quote } from '../core/errors';
import { Mesh, meshOf } from '../core/mesh';
import { validateDnsLabel } from '../core/names';
import { chosenName } from '../core/object-names';
import { MeshService } from '../service/mesh-service';
import { AuthorizationCondition } from './istio/authorization-condition';
import { AuthorizationAction, AuthorizationPolicy } from './istio/authorization-policy';
import { AuthorizationRule } from './istio/authorization-rule';
import { JwtRule, RequestAuthentication } from './istio/request-authentication';
import { validateSelector } from './selector';

/** A DNS name, no port, no wildcard (Istio matches `hosts` exactly or by a `*` prefix/suffix). */
const HOST = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/i;

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
      true,
    );
  }

  /** At a service's pods. */
  public static service(service: MeshService): JwtTarget {
    if (!MeshService.isMeshService(service)) fail('JwtTarget.service', 'service', `must be a MeshService, got ${quote(service)}`, 'pass the MeshService');
    return new JwtTarget(service.namespace, service.selector, service.serviceName, false);
  }

  private constructor(
    public readonly namespace: string,
    public readonly selector: Record<string, string>,
    public readonly name: string,
    /** Whether the target is an ingress gateway, which usually serves many hosts. */
    public readonly isIngressGateway: boolean,
  ) {}
}

/** How a {@link JwtPolicy} enforces the token. */
export enum JwtEnforcement {
  /**
   * An ALLOW policy admitting requests with a valid token (and the claims). ALLOW policies are
   * ORed: other ALLOW policies on the same pods still admit their requests without a token. Once
   * any ALLOW policy selects a workload, requests no ALLOW policy matches are denied: at a gateway
   * that means every host it serves, so it needs `dedicatedGateway: true` there.
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
  /**
   * @default - `DENY_OTHERS` at the ingress gateway (scoped by `hosts`), `ALLOW_VALID` on a service
   */
  readonly enforcement?: JwtEnforcement;
  /**
   * The hosts (Host header, e.g. `api.example.com`) whose requests need the token. Required at the
   * ingress gateway unless it is dedicated: a shared gateway serves other hosts, which must not need
   * a token. Each host is matched with and without a port (`api.example.com`, `api.example.com:*`),
   * case-insensitively, as Istio's `hosts` match is exact.
   * @default - every host the target serves (only on a service or a dedicated gateway)
   */
  readonly hosts?: string[];
  /**
   * The target's workload (container) ports that serve the protected HTTP traffic, e.g. `[8080, 8443]`
   * on Istio's default ingress gateway. Istio cannot evaluate a DENY rule's HTTP attributes on TCP
   * traffic and then denies all of it: with ports, only TCP traffic on these ports is denied.
   * Needs `JwtEnforcement.DENY_OTHERS`.
   * @default - every port (TCP traffic through the target, e.g. TLS passthrough, is denied)
   */
  readonly ports?: number[];
  /**
   * The ingress gateway serves only the hosts this policy protects, so `hosts` may be left out and
   * `JwtEnforcement.ALLOW_VALID` may be used there.
   * @default false
   */
  readonly dedicatedGateway?: boolean;
  /**
   * The base name of the resources.
   * @default - `<service>-jwt`, or `ingressgateway-jwt`
   */
  readonly name?: string;
  /**
   * Names for each of the two objects, to keep those of existing objects.
   * @default - `<name>` and `<name>-require`
   */
  readonly names?: JwtPolicyNames;
}

/** The names of the objects a {@link JwtPolicy} renders. */
export interface JwtPolicyNames {
  /**
   * The RequestAuthentication trusting the issuers.
   * @default - the JwtPolicy's `name`
   */
  readonly requestAuthentication?: string;
  /**
   * The AuthorizationPolicy that makes the token mandatory.
   * @default `<name>-require`
   */
  readonly authorizationPolicy?: string;
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
    const enforcement = props.enforcement ?? (props.target.isIngressGateway ? JwtEnforcement.DENY_OTHERS : JwtEnforcement.ALLOW_VALID);
    if (!Object.values(JwtEnforcement).includes(enforcement)) fail(this, 'enforcement', `must be a JwtEnforcement, got ${quote(enforcement)}`, 'use JwtEnforcement.ALLOW_VALID or DENY_OTHERS');
    const claims = props.requiredClaims ?? [];
    claims.forEach((c, i) => {
      if (!(c instanceof AuthorizationCondition) || !c.conditionKey.startsWith('request.auth.')) {
        fail(this, `requiredClaims[${i}]`, `must be a condition on the token, got ${quote(c)}`, 'use AuthorizationCondition.claim("role").in("admin", "user")');
      }
    });
    const name = props.name ?? `${props.target.name}-jwt`;
    const names = props.names ?? {};
    const { namespace, selector } = props.target;
    this.requestAuthentication = new RequestAuthentication(this, 'RequestAuthentication', {
      name: chosenName(this, 'names.requestAuthentication', 'security.istio.io/RequestAuthentication', names.requestAuthentication, name), namespace, selector, jwtRules: props.jwtRules,
    });

    const hosts = this.validateHosts(props, enforcement);
    if (props.ports !== undefined && enforcement === JwtEnforcement.ALLOW_VALID) {
      fail(this, 'ports', 'is set with ALLOW_VALID: an ALLOW policy scoped to ports denies requests on every other port', 'use JwtEnforcement.DENY_OTHERS, or leave ports out');
    }
    const to = hosts || props.ports ? [{ hosts: hosts?.flatMap((h) => [h, `${h}:*`]), ports: props.ports }] : undefined;
    let rules: AuthorizationRule[];
    if (enforcement === JwtEnforcement.ALLOW_VALID) {
      rules = [{ from: [{ requestPrincipals: ['*'] }], when: claims.length ? claims : undefined }];
    } else {
      // One DENY rule per missing piece (rules are ORed): no valid token, or a claim outside its values
      // (`notValues` also matches a token without the claim).
      rules = [
        { from: [{ notRequestPrincipals: ['*'] }], to },
        ...claims.map((c) => ({ to, when: [AuthorizationCondition._of(c.conditionKey, c.notValues, c.values)] })),
      ];
    }
    this.authorizationPolicy = new AuthorizationPolicy(this, 'AuthorizationPolicy', {
      name: chosenName(this, 'names.authorizationPolicy', 'security.istio.io/AuthorizationPolicy', names.authorizationPolicy, `${name}-require`),
      namespace,
      selector,
      action: enforcement === JwtEnforcement.ALLOW_VALID ? AuthorizationAction.ALLOW : AuthorizationAction.DENY,
      rules,
    });
  }

  /** The validated hosts, or undefined for every host; refuses what would make other hosts of a shared gateway need a token. */
  private validateHosts(props: JwtPolicyProps, enforcement: JwtEnforcement): string[] | undefined {
    const dedicated = props.dedicatedGateway ?? false;
    if (typeof dedicated !== 'boolean') fail(this, 'dedicatedGateway', `must be a boolean, got ${quote(dedicated)}`, 'set true only when the gateway serves no other host');
    const gateway = props.target.isIngressGateway;
    if (dedicated && !gateway) fail(this, 'dedicatedGateway', 'is set on a service target', 'leave dedicatedGateway out for JwtTarget.service()');
    if (gateway && !dedicated && enforcement === JwtEnforcement.ALLOW_VALID) {
      fail(this, 'enforcement', 'is ALLOW_VALID at a shared ingress gateway: an ALLOW policy on the gateway denies every request it does not match, so every other host it serves would need a token',
        'use JwtEnforcement.DENY_OTHERS (the default there) with hosts, or set dedicatedGateway: true if the gateway serves only these hosts');
    }
    if (props.hosts === undefined) {
      if (gateway && !dedicated) {
        fail(this, 'hosts', 'is missing at the ingress gateway: without it every host the shared gateway serves would need a token',
          'list the hosts that need the token, e.g. hosts: ["api.example.com"], or set dedicatedGateway: true');
      }
      return undefined;
    }
    if (enforcement === JwtEnforcement.ALLOW_VALID) {
      fail(this, 'hosts', 'is set with ALLOW_VALID: an ALLOW policy scoped to hosts denies requests to every other host',
        'use JwtEnforcement.DENY_OTHERS to require the token for these hosts only');
    }
    if (!Array.isArray(props.hosts) || props.hosts.length === 0) fail(this, 'hosts', `must list at least one host, got ${quote(props.hosts)}`, 'leave hosts out to protect every host');
    return props.hosts.map((h, i) => {
      if (typeof h !== 'string' || !HOST.test(h)) {
        fail(this, `hosts[${i}]`, `has ${quote(h)}, which is not a DNS name without port or wildcard (Istio cannot match a wildcard host with a port, so a request with "Host: <host>:443" would pass without a token)`,
          'list each host by its full name, e.g. "api.example.com"');
      }
      return h.toLowerCase();
    });
  }
}
