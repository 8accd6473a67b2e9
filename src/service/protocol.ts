/**
 * Application protocols of a service port. Istio detects a port's protocol from its name
 * (`http`, `http-web`, `grpc-api`, ...) or its `appProtocol`; the rendered Service sets both.
 */
export enum Protocol {
  HTTP = 'http',
  HTTP2 = 'http2',
  HTTPS = 'https',
  GRPC = 'grpc',
  GRPC_WEB = 'grpc-web',
  TCP = 'tcp',
  TLS = 'tls',
  MONGO = 'mongo',
  MYSQL = 'mysql',
  REDIS = 'redis',
}

/** Name prefixes from which Istio detects a protocol (istio.io "Protocol Selection"). */
export const ISTIO_PROTOCOL_PREFIXES: readonly string[] = [
  'http', 'http2', 'https', 'grpc', 'grpc-web', 'tcp', 'tls', 'mongo', 'mysql', 'redis', 'udp',
];

/**
 * The protocol Istio infers from a port name, or undefined when the name does not start with one
 * of the protocol prefixes followed by nothing or `-<suffix>` (IST0118).
 */
export function protocolFromPortName(name: string): string | undefined {
  const lower = name.toLowerCase();
  // longest prefix first so that 'grpc-web' wins over 'grpc' and 'http2' over 'http'
  const prefixes = [...ISTIO_PROTOCOL_PREFIXES].sort((a, b) => b.length - a.length);
  return prefixes.find((p) => lower === p || lower.startsWith(`${p}-`));
}

/** True for protocols whose traffic can be routed with HTTP matches. */
export function isHttpProtocol(protocol: Protocol): boolean {
  return [Protocol.HTTP, Protocol.HTTP2, Protocol.GRPC, Protocol.GRPC_WEB].includes(protocol);
}

/**
 * Istio's protocol selection by port name, for every language: the class form of
 * `ISTIO_PROTOCOL_PREFIXES`, `protocolFromPortName` and `isHttpProtocol`.
 */
export class Protocols {
  /** The port-name prefixes Istio reads a protocol from (a copy of `ISTIO_PROTOCOL_PREFIXES`). */
  public static readonly ISTIO_PREFIXES: string[] = [...ISTIO_PROTOCOL_PREFIXES];

  /** The protocol Istio selects for a port name (`http-web` → `http`), if any. */
  public static fromPortName(name: string): string | undefined {
    return protocolFromPortName(name);
  }

  /** True for the protocols Istio routes as HTTP. */
  public static isHttp(protocol: Protocol): boolean {
    return isHttpProtocol(protocol);
  }

  private constructor() {}
}
