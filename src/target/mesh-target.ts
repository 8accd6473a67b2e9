import { IConstruct } from 'constructs';
import { describeValue, fail } from '../core/errors';
import { GatewayApiChannel, GatewayApiVersion, IstioVersion, LinkerdVersion } from './versions';

/** Props of a {@link MeshTarget}: the release of each system the cluster runs. */
export interface MeshTargetProps {
  /** The Istio release. @default IstioVersion.LATEST (1.30) */
  readonly istio?: IstioVersion;
  /** The Gateway API CRD bundle installed in the cluster. @default GatewayApiVersion.LATEST (v1.6) */
  readonly gatewayApi?: GatewayApiVersion;
  /** The Gateway API channel installed. @default GatewayApiChannel.STANDARD */
  readonly gatewayApiChannel?: GatewayApiChannel;
  /** The Linkerd release. @default LinkerdVersion.LATEST (2.20) */
  readonly linkerd?: LinkerdVersion;
}

/**
 * The releases a cluster runs: rendering leaves out or refuses what they lack. Set it next to the
 * mesh choice: `useMesh(app, Mesh.ISTIO, { target: MeshTarget.of({ gatewayApi: GatewayApiVersion.V1_3 }) })`.
 * Each system is independent, so a target can grow (Cilium, progressive-delivery controllers)
 * without changing the ones that exist.
 */
export class MeshTarget {
  /** The newest releases the library supports (the default). */
  public static readonly LATEST = new MeshTarget({});

  /** A target; systems not named get their newest supported release. */
  public static of(props: MeshTargetProps = {}): MeshTarget {
    return new MeshTarget(props);
  }

  /** The Istio release. */
  public readonly istio: IstioVersion;
  /** The Gateway API release. */
  public readonly gatewayApi: GatewayApiVersion;
  /** The Gateway API channel. */
  public readonly gatewayApiChannel: GatewayApiChannel;
  /** The Linkerd release. */
  public readonly linkerd: LinkerdVersion;

  private constructor(props: MeshTargetProps) {
    this.istio = check('istio', props.istio, IstioVersion) ?? IstioVersion.LATEST;
    this.gatewayApi = check('gatewayApi', props.gatewayApi, GatewayApiVersion) ?? GatewayApiVersion.LATEST;
    this.linkerd = check('linkerd', props.linkerd, LinkerdVersion) ?? LinkerdVersion.LATEST;
    const channel = props.gatewayApiChannel ?? GatewayApiChannel.STANDARD;
    if (!Object.values(GatewayApiChannel).includes(channel)) {
      fail('MeshTarget.of', 'gatewayApiChannel', `is not a channel, got ${describeValue(channel)}`, 'use GatewayApiChannel.STANDARD or GatewayApiChannel.EXPERIMENTAL');
    }
    this.gatewayApiChannel = channel;
  }

  /** This target with some systems changed. */
  public with(props: MeshTargetProps): MeshTarget {
    return new MeshTarget({
      istio: props.istio ?? this.istio,
      gatewayApi: props.gatewayApi ?? this.gatewayApi,
      gatewayApiChannel: props.gatewayApiChannel ?? this.gatewayApiChannel,
      linkerd: props.linkerd ?? this.linkerd,
    });
  }

  /** A file-name-safe id, e.g. `istio-1.28_gateway-api-v1.3-standard_linkerd-2.18` (the CRD folders' names). */
  public get id(): string {
    return `istio-${this.istio}_gateway-api-${this.gatewayApi}-${this.gatewayApiChannel}_linkerd-${this.linkerd}`;
  }

  /** E.g. `Istio 1.28, Gateway API v1.3 (standard channel), Linkerd 2.18`. */
  public toString(): string {
    return `${this.istio.label}, ${this.gatewayApi.label} (${this.gatewayApiChannel} channel), ${this.linkerd.label}`;
  }
}

function check<T>(prop: string, value: T | undefined, type: { SUPPORTED: T[]; name: string }): T | undefined {
  if (value === undefined || type.SUPPORTED.includes(value)) return value;
  return fail('MeshTarget.of', prop, `is not a supported ${type.name}, got ${describeValue(value)}`,
    `use one of ${type.SUPPORTED.map((v) => `${type.name}.V${String(v).replace(/^v/, '').replace('.', '_')}`).join(', ')}`);
}

/** The construct context key holding the target for everything below the node it is set on. */
export const TARGET_CONTEXT_KEY = 'cdk8s-mesh:target';

/**
 * Sets the releases a scope (an App or a Chart) renders for, before its children are added.
 * `useMesh(scope, mesh, { target })` calls this.
 */
export function useTarget(scope: IConstruct, target: MeshTarget): void {
  if (!(target instanceof MeshTarget)) fail(scope, 'target', `must be a MeshTarget, got ${describeValue(target)}`, 'use MeshTarget.of({ istio: IstioVersion.V1_28, ... })');
  scope.node.setContext(TARGET_CONTEXT_KEY, target);
}

/**
 * The target in force for a construct: the nearest `useTarget`/`useMesh` setting above it.
 *
 * @default MeshTarget.LATEST
 */
export function targetOf(scope: IConstruct): MeshTarget {
  const value = scope.node.tryGetContext(TARGET_CONTEXT_KEY);
  if (value === undefined) return MeshTarget.LATEST;
  if (!(value instanceof MeshTarget)) {
    fail(scope, `context ${TARGET_CONTEXT_KEY}`, `must be a MeshTarget, got ${describeValue(value)}`, 'set it with useMesh(scope, mesh, { target: MeshTarget.of({...}) })');
  }
  return value;
}
