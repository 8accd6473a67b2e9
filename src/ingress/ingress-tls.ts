import { fail, quote } from '../core/errors';
import { validateDnsSubdomain } from '../core/names';
import { GatewayTlsMode, TlsProtocolVersion } from '../istio/gateway';

/** Options of {@link IngressTls.simple}. */
export interface IngressTlsOptions {
  /**
   * The oldest TLS version accepted (Istio only).
   * @default - the gateway's default (TLS 1.2)
   */
  readonly minProtocolVersion?: TlsProtocolVersion;
}

/** Options of {@link IngressTls.mutual}. */
export interface MutualIngressTlsOptions extends IngressTlsOptions {
  /**
   * Client certificate SANs to accept (Istio only).
   * @default - any certificate the client CA signed
   */
  readonly subjectAltNames?: string[];
  /**
   * For Gateway API meshes: the ConfigMap (key `ca.crt`) whose CA validates client certificates
   * (`spec.tls.frontend`). Istio reads the client CA from the `credentialName` Secret instead.
   * @default - none; required when the chart renders for a Gateway API mesh
   */
  readonly clientCaConfigMap?: string;
}

/**
 * How an {@link IngressGateway} terminates TLS: with a server certificate (SIMPLE) or also
 * requiring client certificates (MUTUAL). The certificate lives in a Kubernetes Secret
 * (`tls.crt`, `tls.key`, and `ca.crt` for MUTUAL) named by `credentialName`.
 *
 * @example
 * IngressTls.simple('bookinfo-credential')
 * IngressTls.mutual('bookinfo-credential', { clientCaConfigMap: 'bookinfo-client-ca' })
 */
export class IngressTls {
  /** Terminate TLS with the certificate in the Secret `credentialName`. */
  public static simple(credentialName: string, options: IngressTlsOptions = {}): IngressTls {
    return new IngressTls(GatewayTlsMode.SIMPLE, credentialName, options);
  }

  /** Terminate TLS and require client certificates signed by the CA in the Secret (`ca.crt`). */
  public static mutual(credentialName: string, options: MutualIngressTlsOptions = {}): IngressTls {
    return new IngressTls(GatewayTlsMode.MUTUAL, credentialName, options);
  }

  public readonly minProtocolVersion?: TlsProtocolVersion;
  public readonly subjectAltNames?: string[];
  public readonly clientCaConfigMap?: string;

  private constructor(public readonly mode: GatewayTlsMode, public readonly credentialName: string, options: MutualIngressTlsOptions) {
    const where = `IngressTls.${mode.toLowerCase()}`;
    if (typeof credentialName !== 'string' || credentialName.length === 0) fail(where, 'credentialName', `is required, got ${quote(credentialName)}`, 'pass the name of the Secret holding tls.crt and tls.key');
    validateDnsSubdomain(where, 'credentialName', credentialName);
    if (options.minProtocolVersion !== undefined && !Object.values(TlsProtocolVersion).includes(options.minProtocolVersion)) {
      fail(where, 'minProtocolVersion', `is not a TLS version, got ${quote(options.minProtocolVersion)}`, 'use TlsProtocolVersion.V1_2 or V1_3');
    }
    if (options.subjectAltNames !== undefined && (!Array.isArray(options.subjectAltNames) || options.subjectAltNames.length === 0 || options.subjectAltNames.some((s) => typeof s !== 'string' || !s))) {
      fail(where, 'subjectAltNames', `must be a non-empty list of names, got ${quote(options.subjectAltNames)}`, 'list the accepted client SANs or leave it out');
    }
    if (options.clientCaConfigMap !== undefined) validateDnsSubdomain(where, 'clientCaConfigMap', options.clientCaConfigMap);
    this.minProtocolVersion = options.minProtocolVersion;
    this.subjectAltNames = options.subjectAltNames ? [...options.subjectAltNames] : undefined;
    this.clientCaConfigMap = options.clientCaConfigMap;
  }
}
