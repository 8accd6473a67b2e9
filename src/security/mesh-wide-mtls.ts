import { Construct } from 'constructs';
import { fail, quote } from '../core/errors';
import { Mesh, meshOf } from '../core/mesh';
import { validateDnsLabel } from '../core/names';
import { chosenName } from '../core/object-names';
import { AuthorizationPolicy } from './istio/authorization-policy';
import { PeerAuthentication } from './istio/peer-authentication';
import { plainTextRules } from './mtls-conflicts';
import { MtlsMigration, MtlsMode } from './mtls';
import { StrictMtlsNamespace } from './strict-mtls-namespace';
import { addMeshValidation } from '../core/validation-pass';

/** The names of the policies a {@link MeshWideMtls} renders in the root namespace. */
export interface MeshWideMtlsNames {
  /**
   * The mesh-wide PeerAuthentication.
   * @default 'default'
   */
  readonly peerAuthentication?: string;
  /**
   * The mesh-wide allow-nothing AuthorizationPolicy (with `denyByDefault`).
   * @default 'allow-nothing'
   */
  readonly allowNothing?: string;
}

/** Props of a {@link MeshWideMtls}. */
export interface MeshWideMtlsProps {
  /**
   * Istio's root namespace, where policies apply to the whole mesh.
   * @default 'istio-system'
   */
  readonly rootNamespace?: string;
  /**
   * The migration stage for the mesh.
   * @default MtlsMigration.COMPLETE (STRICT)
   */
  readonly migration?: MtlsMigration;
  /**
   * Also add a mesh-wide allow-nothing AuthorizationPolicy. It denies everything, gateways
   * included, until ALLOW policies admit traffic, so it is off unless asked for.
   * @default false
   */
  readonly denyByDefault?: boolean;
  /**
   * Names for the policies, to keep those of existing objects.
   * @default - see MeshWideMtlsNames
   */
  readonly names?: MeshWideMtlsNames;
}

/**
 * Mesh-wide mTLS (Istio): a `PeerAuthentication` (`default` unless `names` says otherwise) in the root namespace. Namespaces
 * can still override it (a {@link StrictMtlsNamespace} at an earlier stage, for example).
 */
export class MeshWideMtls extends Construct {
  public readonly rootNamespace: string;
  public readonly migration: MtlsMigration;
  public readonly peerAuthentication: PeerAuthentication;
  public readonly allowNothing?: AuthorizationPolicy;

  public constructor(scope: Construct, id: string, props: MeshWideMtlsProps = {}) {
    super(scope, id);
    const mesh = meshOf(this);
    if (mesh !== Mesh.ISTIO) {
      fail(this, 'mesh', `is ${mesh}, which sets its mesh-wide policy at install time, not with a resource`,
        mesh === Mesh.LINKERD ? 'set proxy.defaultInboundPolicy in the Linkerd install values, or use StrictMtlsNamespace per namespace' : 'configure transport encryption in the Cilium installation');
    }
    this.rootNamespace = validateDnsLabel(this, 'rootNamespace', props.rootNamespace ?? 'istio-system');
    this.migration = props.migration ?? MtlsMigration.COMPLETE;
    if (!(this.migration instanceof MtlsMigration)) fail(this, 'migration', `must be an MtlsMigration, got ${quote(this.migration)}`, 'use MtlsMigration.stage(...)');
    const names = props.names ?? {};
    this.peerAuthentication = new PeerAuthentication(this, 'PeerAuthentication', {
      name: chosenName(this, 'names.peerAuthentication', 'security.istio.io/PeerAuthentication', names.peerAuthentication, 'default'), namespace: this.rootNamespace, mode: this.migration.mode,
    });
    if (props.denyByDefault) {
      this.allowNothing = AuthorizationPolicy.allowNothing(this, 'AllowNothing', {
        name: chosenName(this, 'names.allowNothing', 'security.istio.io/AuthorizationPolicy', names.allowNothing, 'allow-nothing'), namespace: this.rootNamespace,
      });
    }
    addMeshValidation(this, () => this.validatePlainText());
  }

  private validatePlainText(): string[] {
    if (this.migration.mode !== MtlsMode.STRICT) return [];
    // namespaces with their own (earlier-stage) StrictMtlsNamespace override the mesh-wide mode; they check themselves
    const overridden = new Set(this.node.root.node.findAll().filter((c): c is StrictMtlsNamespace => c instanceof StrictMtlsNamespace).map((n) => n.namespaceName));
    return plainTextRules(this)
      .filter((r) => !overridden.has(r.hostNamespace))
      .map((r) => `${r.path}: ${r.where} is DISABLE for ${r.host}, but ${this.node.path} makes the whole mesh STRICT, so the server sidecars refuse plain text (DISABLE does not bypass STRICT). Fix: use ClientTls.istioMutual() (or drop tls), or give namespace ${r.hostNamespace} a PERMISSIVE StrictMtlsNamespace stage while it migrates`);
  }
}
