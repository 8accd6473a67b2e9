import { fail, quote } from '../core/errors';
import { validateHostname } from '../core/names';

/** How a client sidecar connects to a service (Istio DestinationRule `trafficPolicy.tls.mode`). */
export enum ClientTlsMode {
  /** Plain text. Does not bypass a STRICT PeerAuthentication: the server still demands mTLS. */
  DISABLE = 'DISABLE',
  /** TLS to the server (origination), verifying its certificate. */
  SIMPLE = 'SIMPLE',
  /** Mutual TLS with a client certificate you provide. */
  MUTUAL = 'MUTUAL',
  /** Mutual TLS with the certificates Istio issues to workloads: the in-mesh default. */
  ISTIO_MUTUAL = 'ISTIO_MUTUAL',
}

/** Options shared by {@link ClientTls.simple} and {@link ClientTls.mutual}. */
export interface ServerVerificationOptions {
  /**
   * Path, in the sidecar, of the CA bundle that verifies the server certificate.
   * @default - none; give this or `credentialName`, or set `insecureSkipVerify`
   */
  readonly caCertificates?: string;
  /**
   * A Secret (in the client's namespace; gateways only) holding the CA (`ca.crt`) and, for MUTUAL,
   * the client certificate and key (`tls.crt`, `tls.key`).
   * @default - none
   */
  readonly credentialName?: string;
  /** @default - none */
  readonly caCrl?: string;
  /**
   * The SNI to present.
   * @default - the host of the request
   */
  readonly sni?: string;
  /**
   * Identities the server certificate must carry.
   * @default - any certificate the CA signed
   */
  readonly subjectAltNames?: string[];
  /**
   * Skip verifying the server certificate. Insecure: only for testing.
   * @default false
   */
  readonly insecureSkipVerify?: boolean;
}

/** Options of {@link ClientTls.mutual}. */
export interface MutualTlsOptions extends ServerVerificationOptions {
  /**
   * Path, in the sidecar, of the client certificate.
   * @default - none; give it with `privateKey`, or `credentialName`
   */
  readonly clientCertificate?: string;
  /**
   * Path, in the sidecar, of the client key.
   * @default - none
   */
  readonly privateKey?: string;
}

/** Options of {@link ClientTls.istioMutual}. */
export interface IstioMutualOptions {
  /** @default - the host of the request */
  readonly sni?: string;
  /** @default - the identities Istio expects for the host */
  readonly subjectAltNames?: string[];
}

/**
 * The TLS a client uses towards a service: a setting of the service's traffic policy.
 *
 * @example
 * ClientTls.istioMutual()
 * ClientTls.simple({ caCertificates: '/etc/certs/ca.pem', sni: 'api.example.com' })
 * ClientTls.mutual({ credentialName: 'payments-client-cert' })
 */
export class ClientTls {
  /** Plain text. Rejected by construct checks where a STRICT PeerAuthentication is in force. */
  public static disable(): ClientTls {
    return new ClientTls(ClientTlsMode.DISABLE, {});
  }

  /** Istio's workload certificates (what auto-mTLS does for meshed servers). */
  public static istioMutual(options: IstioMutualOptions = {}): ClientTls {
    return new ClientTls(ClientTlsMode.ISTIO_MUTUAL, options);
  }

  /** TLS origination verifying the server (needs a CA unless `insecureSkipVerify`). */
  public static simple(options: ServerVerificationOptions): ClientTls {
    return new ClientTls(ClientTlsMode.SIMPLE, options);
  }

  /** Mutual TLS with your own client certificate. */
  public static mutual(options: MutualTlsOptions): ClientTls {
    return new ClientTls(ClientTlsMode.MUTUAL, options);
  }

  public readonly caCertificates?: string;
  public readonly credentialName?: string;
  public readonly caCrl?: string;
  public readonly clientCertificate?: string;
  public readonly privateKey?: string;
  public readonly sni?: string;
  public readonly subjectAltNames?: string[];
  public readonly insecureSkipVerify?: boolean;

  private constructor(public readonly mode: ClientTlsMode, options: MutualTlsOptions) {
    const where = `ClientTls.${mode === ClientTlsMode.ISTIO_MUTUAL ? 'istioMutual' : mode.toLowerCase()}`;
    const o = options ?? {};
    for (const key of ['caCertificates', 'credentialName', 'caCrl', 'clientCertificate', 'privateKey'] as const) {
      const v = o[key];
      if (v !== undefined && (typeof v !== 'string' || v.trim() === '')) fail(where, key, `must be a non-empty string, got ${quote(v)}`, 'give a file path (or a Secret name for credentialName)');
    }
    if (o.sni !== undefined) validateHostname(where, 'sni', o.sni);
    if (o.subjectAltNames !== undefined && (!Array.isArray(o.subjectAltNames) || o.subjectAltNames.length === 0 || o.subjectAltNames.some((s) => !s))) {
      fail(where, 'subjectAltNames', `must be a non-empty list of names, got ${quote(o.subjectAltNames)}`, 'list e.g. ["spiffe://cluster.local/ns/payments/sa/api"] or leave it out');
    }
    if (mode === ClientTlsMode.SIMPLE || mode === ClientTlsMode.MUTUAL) {
      if (!o.caCertificates && !o.credentialName && !o.insecureSkipVerify) {
        fail(where, 'caCertificates', 'is missing: without a CA the server certificate is not verified (IST0128/IST0129)',
          'set caCertificates (a CA bundle path) or credentialName (a Secret with ca.crt); insecureSkipVerify: true only for testing');
      }
    }
    if (mode === ClientTlsMode.MUTUAL) {
      const hasPair = Boolean(o.clientCertificate) && Boolean(o.privateKey);
      if (!hasPair && !o.credentialName) {
        fail(where, 'clientCertificate', 'and privateKey are needed for MUTUAL (or a credentialName holding them)',
          'set clientCertificate and privateKey, or credentialName; use ClientTls.istioMutual() for Istio-issued certificates');
      }
      if (Boolean(o.clientCertificate) !== Boolean(o.privateKey)) {
        fail(where, o.clientCertificate ? 'privateKey' : 'clientCertificate', 'is missing: the certificate and key go together', 'set both clientCertificate and privateKey');
      }
    } else if (o.clientCertificate || o.privateKey) {
      fail(where, 'clientCertificate', `is only used with MUTUAL, not ${mode}`, 'use ClientTls.mutual(...) or drop the client certificate');
    }
    if (mode === ClientTlsMode.ISTIO_MUTUAL && (o.caCertificates || o.credentialName || o.insecureSkipVerify)) {
      fail(where, 'caCertificates', 'cannot be set with ISTIO_MUTUAL, which uses Istio\'s own certificates', 'drop them, or use ClientTls.mutual(...)');
    }
    this.caCertificates = o.caCertificates;
    this.credentialName = o.credentialName;
    this.caCrl = o.caCrl;
    this.clientCertificate = o.clientCertificate;
    this.privateKey = o.privateKey;
    this.sni = o.sni;
    this.subjectAltNames = o.subjectAltNames ? [...o.subjectAltNames] : undefined;
    this.insecureSkipVerify = o.insecureSkipVerify;
  }
}
