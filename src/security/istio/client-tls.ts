import type { ClientTls } from '../client-tls';

/** Renders a {@link ClientTls} as an Istio DestinationRule `ClientTLSSettings`. */
export function istioClientTls(tls: ClientTls): Record<string, unknown> {
  const out: Record<string, unknown> = {
    mode: tls.mode,
    clientCertificate: tls.clientCertificate,
    privateKey: tls.privateKey,
    caCertificates: tls.caCertificates,
    caCrl: tls.caCrl,
    credentialName: tls.credentialName,
    subjectAltNames: tls.subjectAltNames,
    sni: tls.sni,
    insecureSkipVerify: tls.insecureSkipVerify,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}
