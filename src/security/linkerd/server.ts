import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as l1 from '../../../imports/policy.linkerd.io';
import { fail, quote } from '../../core/errors';
import { MeshResource, MeshResourceProps } from '../../core/resource';
import { validateSelector } from '../selector';
import { isPortName } from '../../core/names';

/** How Linkerd's inbound proxy treats a Server's traffic (`proxyProtocol`). */
export enum LinkerdProxyProtocol {
  UNKNOWN = 'unknown',
  HTTP1 = 'HTTP/1',
  HTTP2 = 'HTTP/2',
  GRPC = 'gRPC',
  OPAQUE = 'opaque',
  TLS = 'TLS',
}

/** The policy for traffic no AuthorizationPolicy authorizes (Linkerd default inbound policies). */
export enum LinkerdAccessPolicy {
  DENY = 'deny',
  ALL_AUTHENTICATED = 'all-authenticated',
  CLUSTER_AUTHENTICATED = 'cluster-authenticated',
  ALL_UNAUTHENTICATED = 'all-unauthenticated',
  CLUSTER_UNAUTHENTICATED = 'cluster-unauthenticated',
  /** Allow, but flag the requests in logs and metrics. */
  AUDIT = 'audit',
}

/** Props of a {@link LinkerdServer}. */
export interface LinkerdServerProps extends MeshResourceProps {
  /** The pods (in the Server's namespace) the Server covers. */
  readonly podSelector: Record<string, string>;
  /** The pod (container) port, by number or name. */
  readonly port: number | string;
  /** @default - detected (`unknown`) */
  readonly proxyProtocol?: LinkerdProxyProtocol;
  /** @default LinkerdAccessPolicy.DENY */
  readonly accessPolicy?: LinkerdAccessPolicy;
}

/**
 * A Linkerd `Server` (policy.linkerd.io/v1beta3): a port of a set of pods that authorization
 * policies and routes attach to. Traffic to it that nothing authorizes is handled by
 * `accessPolicy` (deny unless set).
 */
export class LinkerdServer extends MeshResource {
  public readonly apiObject: ApiObject;
  public readonly podSelector: Record<string, string>;
  public readonly port: number | string;

  public constructor(scope: Construct, id: string, props: LinkerdServerProps) {
    super(scope, id, props);
    this.podSelector = validateSelector(this, 'podSelector', props.podSelector);
    const p = props.port;
    const okNumber = typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 65535;
    const okName = isPortName(p);
    if (!okNumber && !okName) fail(this, 'port', `must be a container port number or name, got ${quote(p)}`, 'pass e.g. 9080 or "http"');
    this.port = p;
    if (props.proxyProtocol !== undefined && !Object.values(LinkerdProxyProtocol).includes(props.proxyProtocol)) {
      fail(this, 'proxyProtocol', `must be a LinkerdProxyProtocol, got ${quote(props.proxyProtocol)}`, 'use e.g. LinkerdProxyProtocol.HTTP1');
    }
    if (props.accessPolicy !== undefined && !Object.values(LinkerdAccessPolicy).includes(props.accessPolicy)) {
      fail(this, 'accessPolicy', `must be a LinkerdAccessPolicy, got ${quote(props.accessPolicy)}`, 'use e.g. LinkerdAccessPolicy.DENY');
    }
    const spec: l1.ServerSpec = {
      podSelector: { matchLabels: this.podSelector },
      port: this.port,
      proxyProtocol: props.proxyProtocol,
      accessPolicy: props.accessPolicy ?? LinkerdAccessPolicy.DENY,
    };
    this.apiObject = new l1.Server(this, 'Resource', { metadata: this.metadata(props), spec });
  }
}
