import { fail, quote } from '../core/errors';
import { validateDnsLabel, validateDnsSubdomain } from '../core/names';

/** Options for a Service parent (GAMMA). */
export interface ServiceParentOptions {
  /** @default - the route's namespace */
  readonly namespace?: string;
  /** Attach to one port of the Service only. @default - every port */
  readonly port?: number;
}

/** Options for a Gateway parent. */
export interface GatewayParentOptions {
  /** @default - the route's namespace */
  readonly namespace?: string;
  /** Attach to one listener of the Gateway. @default - every listener that allows the route */
  readonly sectionName?: string;
}

/** The kinds of route parent. */
export enum ParentKind {
  SERVICE = 'Service',
  GATEWAY = 'Gateway',
}

/**
 * What an HTTPRoute attaches to: a Service (GAMMA, east-west traffic) or a Gateway (ingress).
 *
 * @example
 * ParentRef.service('reviews', { port: 9080 })
 * ParentRef.gateway('bookinfo-gateway')
 */
export class ParentRef {
  public static service(name: string, options: ServiceParentOptions = {}): ParentRef {
    validateDnsLabel('ParentRef.service', 'name', name);
    if (options.port !== undefined && (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535)) {
      fail('ParentRef.service', 'port', `must be a port number, got ${quote(options.port)}`, 'pass the Service port');
    }
    return new ParentRef(ParentKind.SERVICE, name, options.namespace, options.port);
  }

  public static gateway(name: string, options: GatewayParentOptions = {}): ParentRef {
    validateDnsSubdomain('ParentRef.gateway', 'name', name);
    return new ParentRef(ParentKind.GATEWAY, name, options.namespace, undefined, options.sectionName);
  }

  private constructor(
    public readonly kind: ParentKind,
    public readonly name: string,
    public readonly namespace?: string,
    public readonly port?: number,
    public readonly sectionName?: string,
  ) {}

  /** @internal */
  public _render(): Record<string, unknown> {
    return this.kind === ParentKind.SERVICE
      ? { group: '', kind: 'Service', name: this.name, namespace: this.namespace, port: this.port }
      : { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: this.name, namespace: this.namespace, sectionName: this.sectionName };
  }
}
