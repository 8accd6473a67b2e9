import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as l1 from '../../../imports/security.istio.io';
import { fail, quote } from '../../core/errors';
import { validatePositiveInt } from '../../core/percent';
import { MeshResource, MeshResourceProps } from '../../core/resource';
import { MtlsMode, PortMtls, validateMtlsMode } from '../mtls';
import { portMtlsList } from '../port-mtls';
import { validateSelector } from '../selector';

/** Props of a {@link PeerAuthentication}. */
export interface PeerAuthenticationProps extends MeshResourceProps {
  /**
   * The mTLS mode.
   * @default - inherited from the namespace or mesh-wide policy (UNSET)
   */
  readonly mode?: MtlsMode;
  /**
   * The pods the policy applies to.
   * @default - the whole namespace (mesh-wide in the root namespace `istio-system`)
   */
  readonly selector?: Record<string, string>;
  /**
   * Modes for individual workload (container) ports. Needs a `selector`: Istio ignores port-level
   * settings in namespace- and mesh-wide policies.
   * @default - none
   */
  readonly portMtls?: PortMtls[];
  /**
   * Modes for individual workload (container) ports, keyed by port.
   * @default - none
   * @deprecated use `portMtls: [{ port, mode }]` (maps keyed by numbers do not cross to other languages)
   * @jsii ignore
   */
  readonly portLevelMtls?: Record<number, MtlsMode>;
}

/**
 * An Istio `PeerAuthentication` (security.istio.io/v1): which traffic a workload accepts — mTLS
 * only (STRICT), both (PERMISSIVE) or plain text (DISABLE). Mesh-wide in the root namespace,
 * namespace-wide elsewhere, workload-wide with a selector.
 */
export class PeerAuthentication extends MeshResource {
  public readonly apiObject: ApiObject;
  public readonly mode?: MtlsMode;
  public readonly selector?: Record<string, string>;
  private readonly portLevel = new Map<number, MtlsMode>();

  public constructor(scope: Construct, id: string, props: PeerAuthenticationProps = {}) {
    super(scope, id, props);
    this.mode = props.mode === undefined ? undefined : validateMtlsMode(this, 'mode', props.mode);
    this.selector = props.selector === undefined ? undefined : validateSelector(this, 'selector', props.selector);
    for (const p of portMtlsList(this, 'portMtls', props.portMtls, 'portLevelMtls', props.portLevelMtls)) this.addPortMtls(p.port, p.mode);
    this.apiObject = new l1.PeerAuthentication(this, 'Resource', {
      metadata: this.metadata(props),
      spec: Lazy.any({ produce: () => this._toKube() }) as l1.PeerAuthenticationSpec,
    });
  }

  /** Sets the mode of one workload port (needs a selector). */
  public addPortMtls(port: number, mode: MtlsMode): void {
    validatePositiveInt(this, 'portMtls port', port, { max: 65535 });
    validateMtlsMode(this, `portMtls[${port}]`, mode);
    if (!this.selector) {
      fail(this, 'portMtls', `sets port ${port} but the policy has no selector; Istio only applies port-level mTLS to workload-selected policies`,
        'add selector: { app: "<workload>" } (e.g. the service\'s pod labels), or set the mode for the whole namespace instead');
    }
    if (this.portLevel.has(port)) fail(this, 'portMtls', `already sets port ${quote(port)}`, 'set each port once');
    this.portLevel.set(port, mode);
  }

  /** The port-level modes, ascending by port (a copy). */
  public get portMtls(): PortMtls[] {
    return [...this.portLevel.entries()].sort(([a], [b]) => a - b).map(([port, mode]) => ({ port, mode }));
  }

  /**
   * The port-level modes, keyed by port (a copy).
   * @deprecated use `portMtls`
   * @jsii ignore
   */
  public get portLevelMtls(): Record<number, MtlsMode> {
    return Object.fromEntries(this.portLevel);
  }

  /** @internal */
  public _toKube(): l1.PeerAuthenticationSpec {
    const ports = [...this.portLevel.entries()].sort(([a], [b]) => a - b);
    return {
      selector: this.selector ? { matchLabels: this.selector } : undefined,
      mtls: this.mode ? { mode: this.mode as unknown as l1.PeerAuthenticationSpecMtlsMode } : undefined,
      portLevelMtls: ports.length ? Object.fromEntries(ports.map(([p, m]) => [String(p), { mode: m as unknown as l1.PeerAuthenticationSpecPortLevelMtlsMode }])) : undefined,
    };
  }
}
