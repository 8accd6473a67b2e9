import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as l1 from '../../imports/gateway.networking.k8s.io';
import { fail, quote } from '../core/errors';
import { validateDnsLabel, validateDnsSubdomain } from '../core/names';
import { MeshResource, MeshResourceProps } from '../core/resource';
import { supports } from '../target/feature-support';
import { REFERENCE_GRANT_V1 } from '../target/features';

const GROUP = /^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const KIND = /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;

function validateGroupKind(where: string, group: string, kind: string): void {
  if (typeof group !== 'string' || group.length > 253 || !GROUP.test(group)) fail(where, 'group', `must be an API group ('' for the core group), got ${quote(group)}`, "pass e.g. 'gateway.networking.k8s.io'");
  if (typeof kind !== 'string' || kind.length > 63 || !KIND.test(kind)) fail(where, 'kind', `must be a kind name, got ${quote(kind)}`, "pass e.g. 'HTTPRoute'");
}

/**
 * Who may refer to the granted objects: a kind of resource in a namespace.
 *
 * @example
 * GrantFrom.httpRoutes('edge')
 */
export class GrantFrom {
  /** HTTPRoutes of a namespace. */
  public static httpRoutes(namespace: string): GrantFrom {
    return GrantFrom.of('gateway.networking.k8s.io', 'HTTPRoute', namespace);
  }
  /** Gateways of a namespace (e.g. for certificate Secrets). */
  public static gateways(namespace: string): GrantFrom {
    return GrantFrom.of('gateway.networking.k8s.io', 'Gateway', namespace);
  }
  /** Any kind. */
  public static of(group: string, kind: string, namespace: string): GrantFrom {
    validateGroupKind('GrantFrom', group, kind);
    validateDnsLabel('GrantFrom', 'namespace', namespace);
    return new GrantFrom(group, kind, namespace);
  }
  private constructor(public readonly group: string, public readonly kind: string, public readonly namespace: string) {}
  /** A stable key such as `gateway.networking.k8s.io/HTTPRoute@edge`. */
  public toString(): string {
    return `${this.group}/${this.kind}@${this.namespace}`;
  }
}

/**
 * What may be referred to: a kind of resource of the grant's namespace, optionally one by name.
 *
 * @example
 * GrantTo.services('reviews')
 */
export class GrantTo {
  /** Services (all of the namespace, or the one named). */
  public static services(name?: string): GrantTo {
    return GrantTo.of('', 'Service', name);
  }
  /** Secrets (all of the namespace, or the one named). */
  public static secrets(name?: string): GrantTo {
    return GrantTo.of('', 'Secret', name);
  }
  /** Any kind. */
  public static of(group: string, kind: string, name?: string): GrantTo {
    validateGroupKind('GrantTo', group, kind);
    if (name !== undefined) validateDnsSubdomain('GrantTo', 'name', name);
    return new GrantTo(group, kind, name);
  }
  private constructor(public readonly group: string, public readonly kind: string, public readonly name?: string) {}
  /** A stable key such as `/Service:reviews`. */
  public toString(): string {
    return `${this.group}/${this.kind}${this.name ? `:${this.name}` : ''}`;
  }
}

/** Props of a {@link ReferenceGrant}. */
export interface ReferenceGrantProps extends MeshResourceProps {
  /** @default - none; add with addFrom() */
  readonly from?: GrantFrom[];
  /** @default - none; add with addTo() */
  readonly to?: GrantTo[];
}

/** The most entries of `from` and of `to`. */
export const REFERENCE_GRANT_MAX_ENTRIES = 16;

/**
 * A Gateway API `ReferenceGrant` (gateway.networking.k8s.io/v1), created in the namespace of the
 * referred-to objects: it lets routes (or gateways) of other namespaces refer to them.
 *
 * @example
 * new ReferenceGrant(chart, 'edge-routes', { namespace: 'shop', from: [GrantFrom.httpRoutes('edge')], to: [GrantTo.services('cart')] });
 */
export class ReferenceGrant extends MeshResource {
  /** The most entries of `from` and of `to` (`REFERENCE_GRANT_MAX_ENTRIES`). */
  public static readonly MAX_ENTRIES = REFERENCE_GRANT_MAX_ENTRIES;
  public readonly apiObject: ApiObject;
  private readonly _from: GrantFrom[] = [];
  private readonly _to: GrantTo[] = [];

  public constructor(scope: Construct, id: string, props: ReferenceGrantProps = {}) {
    super(scope, id, props);
    for (const f of props.from ?? []) this.addFrom(f);
    for (const t of props.to ?? []) this.addTo(t);
    // Served as v1 from Gateway API v1.5; older releases serve the same fields as v1beta1.
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: supports(this, REFERENCE_GRANT_V1) ? l1.ReferenceGrant.GVK.apiVersion : 'gateway.networking.k8s.io/v1beta1',
      kind: l1.ReferenceGrant.GVK.kind,
      metadata: this.metadata(props),
      spec: Lazy.any({ produce: () => this._toKube() }) as l1.ReferenceGrantSpec,
    });
    this.node.addValidation({
      validate: () => [
        ...(this._from.length ? [] : [`${this.node.path}: from must list at least one entry. Fix: call addFrom()`]),
        ...(this._to.length ? [] : [`${this.node.path}: to must list at least one entry. Fix: call addTo()`]),
      ],
    });
  }

  /** Trusts a kind of resource of a namespace; an entry already present is skipped. */
  public addFrom(from: GrantFrom): void {
    if (!(from instanceof GrantFrom)) fail(this, 'from', 'must hold GrantFrom values', 'use GrantFrom.httpRoutes(namespace), ...');
    if (this._from.some((f) => f.toString() === from.toString())) return;
    if (this._from.length >= REFERENCE_GRANT_MAX_ENTRIES) fail(this, 'from', `cannot hold more than ${REFERENCE_GRANT_MAX_ENTRIES} entries`, 'split the grant');
    this._from.push(from);
  }

  /** Grants access to a kind of resource (or one by name); an entry already present is skipped. */
  public addTo(to: GrantTo): void {
    if (!(to instanceof GrantTo)) fail(this, 'to', 'must hold GrantTo values', 'use GrantTo.services(name), ...');
    if (this._to.some((t) => t.toString() === to.toString())) return;
    if (this._to.length >= REFERENCE_GRANT_MAX_ENTRIES) fail(this, 'to', `cannot hold more than ${REFERENCE_GRANT_MAX_ENTRIES} entries`, 'grant the whole kind (omit the name) or split the grant');
    this._to.push(to);
  }

  /** The trusted sources (a copy). */
  public get from(): GrantFrom[] {
    return [...this._from];
  }

  /** The granted targets (a copy). */
  public get to(): GrantTo[] {
    return [...this._to];
  }

  /** @internal */
  public _toKube(): l1.ReferenceGrantSpec {
    return {
      from: this._from.map((f) => ({ group: f.group, kind: f.kind, namespace: f.namespace })),
      to: this._to.map((t) => ({ group: t.group, kind: t.kind, name: t.name })),
    };
  }
}
