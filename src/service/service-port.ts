import { fail, quote } from '../core/errors';
import { validatePositiveInt } from '../core/percent';
import { Protocol, protocolFromPortName } from './protocol';
import { isPortName } from '../core/names';

/** Options for a {@link ServicePort}. */
export interface ServicePortOptions {
  /**
   * The port name. It must start with the protocol (`http`, `http-web`) so that Istio can detect it.
   * @default - the protocol's name, e.g. `http`
   */
  readonly name?: string;
  /**
   * The container port traffic is forwarded to.
   * @default - the service port
   */
  readonly targetPort?: number;
}

/**
 * A port of a service in the mesh, named by protocol.
 *
 * @example
 * ServicePort.http(9080)
 * ServicePort.grpc(8443, { name: 'grpc-api' })
 */
export class ServicePort {
  public static http(port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort(Protocol.HTTP, port, options);
  }
  public static http2(port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort(Protocol.HTTP2, port, options);
  }
  public static grpc(port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort(Protocol.GRPC, port, options);
  }
  public static https(port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort(Protocol.HTTPS, port, options);
  }
  public static tcp(port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort(Protocol.TCP, port, options);
  }
  public static tls(port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort(Protocol.TLS, port, options);
  }
  public static of(protocol: Protocol, port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort(protocol, port, options);
  }

  /** The port number. */
  public readonly port: number;
  /** The port name; starts with the protocol. */
  public readonly name: string;
  /** The container port. */
  public readonly targetPort: number;

  private constructor(public readonly protocol: Protocol, port: number, options: ServicePortOptions) {
    const where = `ServicePort.${protocol}`;
    this.port = validatePositiveInt(where, 'port', port, { max: 65535 });
    this.targetPort = validatePositiveInt(where, 'targetPort', options.targetPort ?? port, { max: 65535 });
    this.name = options.name ?? protocol;
    if (!isPortName(this.name)) {
      fail(where, 'name', `must be an IANA service name (at most 15 lower-case alphanumerics and '-', with a letter), got ${quote(this.name)}`, `use e.g. ${quote(protocol)}`);
    }
    const detected = protocolFromPortName(this.name);
    if (detected !== protocol && !(protocol === Protocol.GRPC_WEB && detected === 'grpc-web')) {
      fail(where, 'name', `${quote(this.name)} does not tell Istio the protocol ${protocol} (IST0118: ports are detected by a '<protocol>' or '<protocol>-<suffix>' name)`,
        `name it ${quote(protocol)} or ${quote(`${protocol}-${this.name}`.slice(0, 15))}`);
    }
  }
}
