import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as l1 from '../../../imports/security.istio.io';
import { renderDuration } from '../../core/duration';
import { ErrorSource, fail, quote } from '../../core/errors';
import { MeshResource, MeshResourceProps } from '../../core/resource';
import { validateSelector } from '../selector';
import { PolicyTargetRef } from './policy-target-ref';
import { isHttpToken } from '../../core/names';

/** A header a JWT is read from. */
export interface JwtHeader {
  /** The header name, e.g. `x-jwt-assertion`. */
  readonly name: string;
  /**
   * A prefix to strip, e.g. `"Bearer "`.
   * @default - none
   */
  readonly prefix?: string;
}

/** A claim copied into a request header for the application. */
export interface JwtClaimToHeader {
  readonly header: string;
  readonly claim: string;
}

/** One trusted token issuer of a {@link RequestAuthentication}. */
export interface JwtRule {
  /** The `iss` the token must carry, e.g. `https://auth.example.com`. */
  readonly issuer: string;
  /**
   * Where the issuer's public keys are fetched from.
   * @default - discovered from the issuer's OpenID configuration
   */
  readonly jwksUri?: string;
  /**
   * The keys inline (a JWKS JSON document), instead of `jwksUri`.
   * @default - none
   */
  readonly jwks?: string;
  /**
   * Accepted `aud` values.
   * @default - any audience
   */
  readonly audiences?: string[];
  /**
   * Headers to read the token from.
   * @default - `Authorization: Bearer <token>`
   */
  readonly fromHeaders?: JwtHeader[];
  /**
   * Query parameters to read the token from.
   * @default - `access_token`
   */
  readonly fromParams?: string[];
  /** @default - none */
  readonly fromCookies?: string[];
  /**
   * Pass the token on to the application.
   * @default false
   */
  readonly forwardOriginalToken?: boolean;
  /**
   * A header to put the verified payload (base64) in.
   * @default - none
   */
  readonly outputPayloadToHeader?: string;
  /** @default - none */
  readonly outputClaimToHeaders?: JwtClaimToHeader[];
  /**
   * How long to wait for the JWKS.
   * @default - Istio's default (5s)
   */
  readonly timeout?: Duration;
}

/** Props of a {@link RequestAuthentication}. */
export interface RequestAuthenticationProps extends MeshResourceProps {
  /**
   * The pods that validate tokens (e.g. `{ istio: 'ingressgateway' }` in `istio-system`).
   * @default - every workload of the namespace
   */
  readonly selector?: Record<string, string>;
  /** @default - none */
  readonly targetRefs?: PolicyTargetRef[];
  /** The trusted issuers; at least one. */
  readonly jwtRules: JwtRule[];
}

/** The L1 object, emitting the documented `jwksUri` where the generated binding writes the CRD's legacy alias `jwks_uri`. */
class RequestAuthenticationObject extends l1.RequestAuthentication {
  public override toJson(): any {
    const json = super.toJson();
    for (const rule of json.spec?.jwtRules ?? []) {
      if (rule.jwks_uri !== undefined) {
        rule.jwksUri = rule.jwks_uri;
        delete rule.jwks_uri;
      }
    }
    return json;
  }
}

function checkUri(where: ErrorSource, prop: string, v: string): string {
  if (typeof v !== 'string' || !/^https?:\/\/[^\s/]+/.test(v)) fail(where, prop, `must be an http(s) URL, got ${quote(v)}`, 'use e.g. "https://auth.example.com/.well-known/jwks.json"');
  return v;
}

function checkHeader(where: ErrorSource, prop: string, v: string): string {
  if (!isHttpToken(v)) fail(where, prop, `must be an HTTP header name, got ${quote(v)}`, 'use e.g. "x-jwt-payload"');
  return v;
}

/**
 * An Istio `RequestAuthentication` (security.istio.io/v1): which JWTs a workload accepts.
 *
 * It only rejects *invalid* tokens; a request without a token passes. Require a token with an
 * AuthorizationPolicy (`requestPrincipals: ['*']`), which {@link JwtPolicy} adds for you.
 */
export class RequestAuthentication extends MeshResource {
  public readonly apiObject: ApiObject;
  public readonly selector?: Record<string, string>;
  private readonly targetRefs?: PolicyTargetRef[];
  private readonly rules: Array<Record<string, unknown>> = [];
  private readonly issuers: string[] = [];

  public constructor(scope: Construct, id: string, props: RequestAuthenticationProps) {
    super(scope, id, props);
    if (props.selector && props.targetRefs) fail(this, 'targetRefs', 'cannot be combined with selector', 'use either selector or targetRefs');
    this.selector = props.selector === undefined ? undefined : validateSelector(this, 'selector', props.selector);
    this.targetRefs = props.targetRefs ? [...props.targetRefs] : undefined;
    if (!Array.isArray(props.jwtRules) || props.jwtRules.length === 0) {
      fail(this, 'jwtRules', 'must list at least one issuer', 'pass jwtRules: [{ issuer: "https://auth.example.com", jwksUri: "https://auth.example.com/.well-known/jwks.json" }]');
    }
    this.apiObject = new RequestAuthenticationObject(this, 'Resource', {
      metadata: this.metadata(props),
      spec: Lazy.any({ produce: () => this._toKube() }) as l1.RequestAuthenticationSpec,
    });
    for (const r of props.jwtRules) this.addJwtRule(r);
  }

  /** The issuers, in the order added. */
  public get issuerNames(): string[] {
    return [...this.issuers];
  }

  /** Adds a trusted issuer; each issuer once. */
  public addJwtRule(rule: JwtRule): void {
    const p = `jwtRules[${this.rules.length}]`;
    if (!rule || typeof rule.issuer !== 'string' || rule.issuer.trim() === '') fail(this, `${p}.issuer`, `must be a non-empty string, got ${quote(rule?.issuer)}`, 'give the token issuer (its "iss" claim)');
    if (this.issuers.includes(rule.issuer)) fail(this, `${p}.issuer`, `${quote(rule.issuer)} is already trusted by this RequestAuthentication`, 'list each issuer once');
    if (rule.jwks !== undefined && rule.jwksUri !== undefined) fail(this, `${p}.jwks`, 'cannot be combined with jwksUri', 'give the keys inline (jwks) or where to fetch them (jwksUri), not both');
    if (rule.jwksUri !== undefined) checkUri(this, `${p}.jwksUri`, rule.jwksUri);
    if (rule.jwks !== undefined) {
      try {
        if (!Array.isArray(JSON.parse(rule.jwks).keys)) throw new Error('no keys');
      } catch {
        fail(this, `${p}.jwks`, 'must be a JWKS JSON document with a "keys" array', 'paste the issuer\'s JWKS, or use jwksUri');
      }
    }
    const nonEmpty = (prop: string, v: string[] | undefined) => {
      if (v !== undefined && (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string' || x === ''))) {
        fail(this, `${p}.${prop}`, `must be a non-empty list of non-empty strings, got ${quote(v)}`, `leave ${prop} out for the default`);
      }
    };
    nonEmpty('audiences', rule.audiences);
    nonEmpty('fromParams', rule.fromParams);
    nonEmpty('fromCookies', rule.fromCookies);
    if (rule.fromHeaders !== undefined && (!Array.isArray(rule.fromHeaders) || rule.fromHeaders.length === 0)) fail(this, `${p}.fromHeaders`, 'must be a non-empty list when given', 'leave it out for the Authorization header');
    rule.fromHeaders?.forEach((h, i) => checkHeader(this, `${p}.fromHeaders[${i}].name`, h.name));
    if (rule.outputPayloadToHeader !== undefined) checkHeader(this, `${p}.outputPayloadToHeader`, rule.outputPayloadToHeader);
    rule.outputClaimToHeaders?.forEach((c, i) => {
      checkHeader(this, `${p}.outputClaimToHeaders[${i}].header`, c.header);
      if (!c.claim) fail(this, `${p}.outputClaimToHeaders[${i}].claim`, 'must be a claim name', 'give e.g. "sub"');
    });
    this.issuers.push(rule.issuer);
    this.rules.push({
      issuer: rule.issuer,
      jwksUri: rule.jwksUri,
      jwks: rule.jwks,
      audiences: rule.audiences ? [...rule.audiences] : undefined,
      fromHeaders: rule.fromHeaders?.map((h) => ({ name: h.name, prefix: h.prefix })),
      fromParams: rule.fromParams ? [...rule.fromParams] : undefined,
      fromCookies: rule.fromCookies ? [...rule.fromCookies] : undefined,
      forwardOriginalToken: rule.forwardOriginalToken,
      outputPayloadToHeader: rule.outputPayloadToHeader,
      outputClaimToHeaders: rule.outputClaimToHeaders?.map((c) => ({ header: c.header, claim: c.claim })),
      timeout: rule.timeout ? renderDuration(this, `${p}.timeout`, rule.timeout) : undefined,
    });
  }

  /** @internal */
  public _toKube(): l1.RequestAuthenticationSpec {
    return {
      selector: this.selector ? { matchLabels: this.selector } : undefined,
      targetRefs: this.targetRefs?.map((t) => t._render()),
      jwtRules: this.rules,
    } as l1.RequestAuthenticationSpec;
  }
}
