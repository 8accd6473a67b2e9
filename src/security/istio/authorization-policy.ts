import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as l1 from '../../../imports/security.istio.io';
import { fail, quote } from '../../core/errors';
import { MeshResource, MeshResourceProps } from '../../core/resource';
import { validateSelector } from '../selector';
import { AuthorizationRule, renderRule } from './authorization-rule';
import { PolicyTargetRef } from './policy-target-ref';
import { addMeshValidation } from '../../core/validation-pass';

/** What an {@link AuthorizationPolicy} does with the requests its rules match. */
export enum AuthorizationAction {
  ALLOW = 'ALLOW',
  DENY = 'DENY',
  /** Marks matching requests for audit logging (needs an audit provider); does not allow or deny. */
  AUDIT = 'AUDIT',
  /** Delegates the decision to an external authorizer (an `extensionProviders` entry in mesh config). */
  CUSTOM = 'CUSTOM',
}

/** Props of the allow-nothing baseline ({@link AuthorizationPolicy.allowNothing}). */
export interface AllowNothingProps extends MeshResourceProps {
  /**
   * The pods the baseline applies to.
   * @default - every workload of the namespace (mesh-wide in the root namespace)
   */
  readonly selector?: Record<string, string>;
}

/** Props of an {@link AuthorizationPolicy}. */
export interface AuthorizationPolicyProps extends MeshResourceProps {
  /** @default AuthorizationAction.ALLOW */
  readonly action?: AuthorizationAction;
  /**
   * The extension provider of a CUSTOM policy (required for CUSTOM, rejected otherwise).
   * @default - none
   */
  readonly provider?: string;
  /**
   * The pods the policy applies to.
   * @default - every workload of the namespace (mesh-wide in the root namespace)
   */
  readonly selector?: Record<string, string>;
  /**
   * Gateways or Services the policy attaches to, instead of a selector.
   * @default - none
   */
  readonly targetRefs?: PolicyTargetRef[];
  /** @default - none; add with addRule() */
  readonly rules?: AuthorizationRule[];
}

/**
 * An Istio `AuthorizationPolicy` (security.istio.io/v1).
 *
 * Rules are validated as they are added; at synth a DENY, AUDIT or CUSTOM policy needs a rule, and
 * an ALLOW policy without rules is rejected — if you mean "deny everything not allowed elsewhere",
 * say so with {@link AuthorizationPolicy.allowNothing}.
 */
export class AuthorizationPolicy extends MeshResource {
  /**
   * The allow-nothing baseline: `spec: {}`, which denies every request to the selected workloads
   * (the whole namespace by default) that no other ALLOW policy allows.
   */
  public static allowNothing(scope: Construct, id: string, props: AllowNothingProps = {}): AuthorizationPolicy {
    return new AuthorizationPolicy(scope, id, { ...props, allowNothing: true } as AuthorizationPolicyProps);
  }

  public readonly apiObject: ApiObject;
  public readonly action: AuthorizationAction;
  public readonly provider?: string;
  public readonly selector?: Record<string, string>;
  /** True for the allow-nothing baseline. */
  public readonly isAllowNothing: boolean;
  private readonly targetRefs?: PolicyTargetRef[];
  private readonly _rules: Array<{ rule: AuthorizationRule; rendered: Record<string, unknown> }> = [];
  private readonly ruleSources: Array<() => AuthorizationRule[]> = [];

  public constructor(scope: Construct, id: string, props: AuthorizationPolicyProps = {}) {
    super(scope, id, props);
    this.isAllowNothing = Boolean((props as { allowNothing?: boolean }).allowNothing);
    this.action = props.action ?? AuthorizationAction.ALLOW;
    if (!Object.values(AuthorizationAction).includes(this.action)) {
      fail(this, 'action', `must be an AuthorizationAction, got ${quote(this.action)}`, 'use AuthorizationAction.ALLOW, DENY, AUDIT or CUSTOM');
    }
    if (this.action === AuthorizationAction.CUSTOM && !props.provider) {
      fail(this, 'provider', 'is required for a CUSTOM policy', 'name the extension provider from mesh config, e.g. provider: "ext-authz"');
    }
    if (this.action !== AuthorizationAction.CUSTOM && props.provider !== undefined) {
      fail(this, 'provider', `is only used by CUSTOM policies, not ${this.action}`, 'set action: AuthorizationAction.CUSTOM or drop provider');
    }
    if (props.selector && props.targetRefs) fail(this, 'targetRefs', 'cannot be combined with selector', 'use either selector or targetRefs');
    if (props.targetRefs !== undefined && (!Array.isArray(props.targetRefs) || props.targetRefs.length === 0 || props.targetRefs.some((t) => !(t instanceof PolicyTargetRef)))) {
      fail(this, 'targetRefs', `must be a non-empty list of PolicyTargetRef, got ${quote(props.targetRefs)}`, 'use PolicyTargetRef.gateway("name")');
    }
    this.provider = props.provider;
    this.selector = props.selector === undefined ? undefined : validateSelector(this, 'selector', props.selector);
    this.targetRefs = props.targetRefs ? [...props.targetRefs] : undefined;
    for (const r of props.rules ?? []) this.addRule(r);
    this.apiObject = new l1.AuthorizationPolicy(this, 'Resource', {
      metadata: this.metadata(props),
      spec: Lazy.any({ produce: () => this._toKube() }) as l1.AuthorizationPolicySpec,
    });
    addMeshValidation(this, () => this.validateRules());
  }

  /** Adds a rule (validated now). */
  public addRule(rule: AuthorizationRule): void {
    if (this.isAllowNothing) fail(this, 'rules', 'cannot be added to the allow-nothing baseline', 'create a separate ALLOW policy for what you want to allow');
    const rendered = renderRule(this, `rules[${this._rules.length}]`, rule ?? {});
    this._rules.push({ rule, rendered });
  }

  /** The rules (a copy). */
  public get rules(): AuthorizationRule[] {
    return this._rules.map((r) => r.rule);
  }

  /** @internal lets an intent construct supply rules computed at synth time (validated when rendered) */
  public _addRuleSource(source: () => AuthorizationRule[]): void {
    if (this.isAllowNothing) fail(this, 'rules', 'cannot be added to the allow-nothing baseline', 'create a separate ALLOW policy');
    this.ruleSources.push(source);
  }

  private validateRules(): string[] {
    if (this.isAllowNothing || this._rules.length > 0 || this.ruleSources.length > 0) return [];
    switch (this.action) {
      case AuthorizationAction.ALLOW:
        return [`${this.node.path}: rules is empty: an ALLOW policy without rules denies every request. Fix: add rules, or use AuthorizationPolicy.allowNothing() to say that deny-by-default is meant`];
      default:
        return [`${this.node.path}: rules is empty: a ${this.action} policy without rules ${this.action === AuthorizationAction.DENY ? 'denies nothing' : 'matches nothing'}. Fix: add a rule (an empty rule {} matches every request)`];
    }
  }

  /** @internal */
  public _toKube(): l1.AuthorizationPolicySpec {
    if (this.isAllowNothing) return this.selector ? { selector: { matchLabels: this.selector } } : {};
    return {
      selector: this.selector ? { matchLabels: this.selector } : undefined,
      targetRefs: this.targetRefs?.map((t) => t._render()),
      action: this.action as unknown as l1.AuthorizationPolicySpecAction,
      provider: this.provider ? { name: this.provider } : undefined,
      rules: [
        ...this._rules.map((r) => r.rendered),
        ...this.ruleSources.flatMap((src) => src()).map((r, i) => renderRule(this, `rules[${this._rules.length + i}]`, r)),
      ],
    } as l1.AuthorizationPolicySpec;
  }
}
