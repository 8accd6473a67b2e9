import { Construct } from 'constructs';
import { fail, quote } from '../core/errors';
import { Mesh } from '../core/mesh';
import { MeshService } from '../service/mesh-service';
import { ClientTls } from './client-tls';

/** Props of a {@link ClientTlsPolicy}. */
export interface ClientTlsPolicyProps {
  readonly service: MeshService;
  readonly tls: ClientTls;
  /**
   * Apply to one version (subset) only.
   * @default - the whole service
   */
  readonly version?: string;
}

/**
 * Sets the TLS clients use towards a service (Istio): it becomes the `tls` of the service's one
 * DestinationRule. Linkerd and Cilium have no per-client TLS setting (Linkerd's mTLS is automatic).
 */
export class ClientTlsPolicy extends Construct {
  public readonly tls: ClientTls;

  public constructor(scope: Construct, id: string, props: ClientTlsPolicyProps) {
    super(scope, id);
    if (!MeshService.isMeshService(props.service)) fail(this, 'service', `must be a MeshService, got ${quote(props.service)}`, 'pass the MeshService');
    if (!(props.tls instanceof ClientTls)) fail(this, 'tls', `must be a ClientTls, got ${quote(props.tls)}`, 'use ClientTls.istioMutual(), ClientTls.simple(...), ...');
    if (props.service.mesh !== Mesh.ISTIO) {
      fail(this, 'tls', `cannot be rendered for ${props.service.mesh}: it has no client TLS setting (Linkerd encrypts meshed traffic automatically)`, 'drop the ClientTlsPolicy, or use Mesh.ISTIO');
    }
    this.tls = props.tls;
    props.service._setPolicy(this, 'tls', props.tls, props.version);
  }
}
