/** The namespace and ServiceAccount an Istio principal names exactly. */
export interface PrincipalIdentity {
  readonly namespace: string;
  readonly serviceAccount: string;
}

/**
 * Reads an Istio principal `<trust domain>/ns/<namespace>/sa/<service account>`. The trust domain
 * may be a wildcard (`*` before `/ns/shop/sa/web` still names one namespace and ServiceAccount); a
 * namespace or ServiceAccount with a wildcard names none exactly, so it gives undefined.
 */
export function parsePrincipal(principal: unknown): PrincipalIdentity | undefined {
  const m = /^[^/]+\/ns\/([^/*]+)\/sa\/([^/*]+)$/.exec(String(principal));
  return m ? { namespace: m[1], serviceAccount: m[2] } : undefined;
}
