import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as l1 from '../../imports/networking.istio.io';
import { ErrorSource, fail, quote } from '../core/errors';
import { validateDnsLabel, validateHostname } from '../core/names';
import { validatePositiveInt } from '../core/percent';
import { MeshResource, MeshResourceProps } from '../core/resource';
import { ServicePort } from '../service/service-port';
import { validateLabels } from '../core/labels';

/** Whether a ServiceEntry's hosts are outside the mesh (no sidecars) or part of it. */
export enum ServiceEntryLocation {
  /** Outside the mesh: external APIs; mTLS is not used. */
  MESH_EXTERNAL = 'MESH_EXTERNAL',
  /** Part of the mesh, e.g. VMs with sidecars. */
  MESH_INTERNAL = 'MESH_INTERNAL',
}

/** How the proxy finds the endpoints of a ServiceEntry's hosts. */
export enum ServiceEntryResolution {
  /** Forward to the IP the application resolved (original destination). Wildcard hosts need this. */
  NONE = 'NONE',
  /** Use the static `endpoints` addresses. */
  STATIC = 'STATIC',
  /** Resolve the hosts (or endpoint names) with DNS and balance across all returned IPs. */
  DNS = 'DNS',
  /** Resolve with DNS and connect to the first IP only; for large external services. */
  DNS_ROUND_ROBIN = 'DNS_ROUND_ROBIN',
}

/** A network endpoint of a ServiceEntry. */
export interface ServiceEntryEndpoint {
  /** An IP address (STATIC) or a DNS name (DNS resolution). */
  readonly address: string;
  /**
   * Endpoint port per ServiceEntry port name, when it differs, e.g. `{ http: 8080 }`.
   * @default - the ServiceEntry ports
   */
  readonly ports?: Record<string, number>;
  /** @default - none */
  readonly labels?: Record<string, string>;
  /** Load-balancing weight relative to the other endpoints. @default - equal */
  readonly weight?: number;
}

/** Props of a {@link ServiceEntry}. */
export interface ServiceEntryProps extends MeshResourceProps {
  /** The hosts: DNS names, optionally with a leading `*.` (wildcards need resolution NONE). */
  readonly hosts: string[];
  /** The ports, named by protocol, e.g. `ServicePort.https(443)`. At least one. */
  readonly ports: ServicePort[];
  /**
   * Virtual IPs or CIDR blocks of the hosts (CIDRs need resolution NONE or STATIC).
   * @default - none
   */
  readonly addresses?: string[];
  /**
   * @default - not rendered (Istio's default, MESH_EXTERNAL)
   */
  readonly location?: ServiceEntryLocation;
  /**
   * @default ServiceEntryResolution.NONE (Istio's default; not rendered)
   */
  readonly resolution?: ServiceEntryResolution;
  /** @default - none (the hosts themselves are resolved for DNS) */
  readonly endpoints?: ServiceEntryEndpoint[];
  /**
   * Namespaces the entry is visible to: `.` (its own), `*` (all) or namespace names.
   * @default - all namespaces
   */
  readonly exportTo?: string[];
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:]+(%[0-9a-zA-Z]+)?$/;

function isIp(value: string): boolean {
  return IPV4.test(value) || (value.includes(':') && IPV6.test(value));
}

function isCidr(value: string): boolean {
  const [ip, bits, ...rest] = value.split('/');
  if (rest.length || bits === undefined || !/^\d+$/.test(bits)) return false;
  const max = IPV4.test(ip) ? 32 : 128;
  return isIp(ip) && Number(bits) <= max;
}

/** Checks an `exportTo` list: `.`, `*` or namespace names, `*` alone. */
export function validateExportTo(source: ErrorSource, prop: string, exportTo: string[]): string[] {
  exportTo.forEach((e, i) => {
    if (e !== '.' && e !== '*') validateDnsLabel(source, `${prop}[${i}]`, e);
  });
  if (exportTo.includes('*') && exportTo.length > 1) fail(source, prop, `mixes '*' with other entries (${quote(exportTo)})`, "use ['*'] alone, or list the namespaces");
  if (new Set(exportTo).size !== exportTo.length) fail(source, prop, `repeats an entry (${quote(exportTo)})`, 'list each namespace once');
  return [...exportTo];
}

/**
 * An Istio `ServiceEntry` (networking.istio.io/v1): adds hosts to the mesh's service registry,
 * typically external APIs, so that sidecars can route to them (and REGISTRY_ONLY meshes allow
 * them).
 *
 * @example
 * new ServiceEntry(chart, 'googleapis', {
 *   hosts: ['www.googleapis.com'],
 *   ports: [ServicePort.http(80), ServicePort.https(443)],
 *   resolution: ServiceEntryResolution.DNS,
 * });
 */
export class ServiceEntry extends MeshResource {
  public readonly apiObject: ApiObject;
  public readonly hosts: string[];
  public readonly ports: ServicePort[];
  public readonly resolution: ServiceEntryResolution;
  public readonly location?: ServiceEntryLocation;
  private readonly props: ServiceEntryProps;

  public constructor(scope: Construct, id: string, props: ServiceEntryProps) {
    super(scope, id, props);
    if (!Array.isArray(props.hosts) || props.hosts.length === 0) fail(this, 'hosts', 'must list at least one host', "pass e.g. ['api.example.com']");
    if (props.hosts.length > 256) fail(this, 'hosts', `lists ${props.hosts.length} hosts, more than Istio's 256`, 'split them into several ServiceEntries');
    props.hosts.forEach((h, i) => {
      if (h === '*') fail(this, `hosts[${i}]`, "cannot be '*'", "list the hosts, or use a domain wildcard such as '*.example.com'");
      validateHostname(this, `hosts[${i}]`, h, { wildcard: true });
    });
    if (new Set(props.hosts).size !== props.hosts.length) fail(this, 'hosts', `repeats a host (${quote(props.hosts)})`, 'list each host once');
    this.hosts = [...props.hosts];

    if (!Array.isArray(props.ports) || props.ports.length === 0) fail(this, 'ports', 'must list at least one port', 'pass e.g. [ServicePort.https(443)]');
    props.ports.forEach((p, i) => {
      if (!(p instanceof ServicePort)) fail(this, `ports[${i}]`, `must be a ServicePort, got ${quote(p)}`, 'use ServicePort.http(80), ServicePort.https(443), ...');
      const clash = props.ports.slice(0, i).find((q) => q.port === p.port || q.name === p.name);
      if (clash) fail(this, `ports[${i}]`, `repeats the port ${clash.name}(${clash.port})`, 'give each port a unique number and name');
    });
    this.ports = [...props.ports];

    if (props.location !== undefined && !Object.values(ServiceEntryLocation).includes(props.location)) {
      fail(this, 'location', `is not a location, got ${quote(props.location)}`, 'use ServiceEntryLocation.MESH_EXTERNAL or MESH_INTERNAL');
    }
    this.location = props.location;
    const resolution = props.resolution ?? ServiceEntryResolution.NONE;
    if (!Object.values(ServiceEntryResolution).includes(resolution)) fail(this, 'resolution', `is not a resolution, got ${quote(resolution)}`, 'use ServiceEntryResolution.DNS, STATIC, NONE or DNS_ROUND_ROBIN');
    this.resolution = resolution;

    this.validateResolution(props);
    if (props.exportTo) validateExportTo(this, 'exportTo', props.exportTo);
    this.props = props;
    this.apiObject = new l1.ServiceEntry(this, 'Resource', {
      metadata: this.metadata(props),
      spec: Lazy.any({ produce: () => this._toKube() }) as l1.ServiceEntrySpec,
    });
  }

  private validateResolution(props: ServiceEntryProps): void {
    const r = this.resolution;
    const dns = r === ServiceEntryResolution.DNS || r === ServiceEntryResolution.DNS_ROUND_ROBIN;
    const endpoints = props.endpoints ?? [];
    const wildcard = this.hosts.find((h) => h.startsWith('*'));
    if (dns && wildcard && endpoints.length === 0) {
      fail(this, 'resolution', `${r} cannot resolve the wildcard host ${quote(wildcard)}`, 'use ServiceEntryResolution.NONE for wildcard hosts, or list the hosts one by one');
    }
    (props.addresses ?? []).forEach((a, i) => {
      if (!isIp(a) && !isCidr(a)) fail(this, `addresses[${i}]`, `must be an IP address or CIDR block, got ${quote(a)}`, 'pass e.g. "10.1.2.3" or "10.1.0.0/16"');
      if (a.includes('/') && r !== ServiceEntryResolution.NONE && r !== ServiceEntryResolution.STATIC) {
        fail(this, `addresses[${i}]`, `is the CIDR block ${quote(a)}, which needs resolution NONE or STATIC, not ${r}`, 'use single IP addresses or change the resolution');
      }
    });
    if (r === ServiceEntryResolution.NONE && endpoints.length) fail(this, 'endpoints', 'cannot be set with resolution NONE', 'use ServiceEntryResolution.STATIC or DNS, or remove the endpoints');
    if (r === ServiceEntryResolution.STATIC && endpoints.length === 0) fail(this, 'endpoints', 'are required with resolution STATIC', 'list the endpoint IP addresses, or use ServiceEntryResolution.DNS');
    if (r === ServiceEntryResolution.DNS_ROUND_ROBIN && endpoints.length > 1) fail(this, 'endpoints', `lists ${endpoints.length} endpoints, but DNS_ROUND_ROBIN takes at most one`, 'use ServiceEntryResolution.DNS');
    endpoints.forEach((e, i) => {
      const prop = `endpoints[${i}]`;
      if (typeof e.address !== 'string' || e.address.length === 0) fail(this, `${prop}.address`, 'is required', 'pass an IP address or DNS name');
      if (r === ServiceEntryResolution.STATIC && !isIp(e.address)) fail(this, `${prop}.address`, `must be an IP address with resolution STATIC, got ${quote(e.address)}`, 'use resolution DNS for host names');
      if (dns && !isIp(e.address)) validateHostname(this, `${prop}.address`, e.address);
      validateLabels(this, `${prop}.labels`, e.labels);
      for (const [name, port] of Object.entries(e.ports ?? {})) {
        if (!this.ports.some((p) => p.name === name)) fail(this, `${prop}.ports`, `names the port ${quote(name)}, which the entry does not define (ports: ${this.ports.map((p) => p.name).join(', ')})`, 'use the name of one of the entry\'s ports');
        validatePositiveInt(this, `${prop}.ports.${name}`, port, { max: 65535 });
      }
      if (e.weight !== undefined) validatePositiveInt(this, `${prop}.weight`, e.weight, { max: 4_294_967_295 });
    });
  }

  /** @internal */
  public _toKube(): l1.ServiceEntrySpec {
    const p = this.props;
    return {
      hosts: this.hosts,
      addresses: p.addresses?.length ? p.addresses : undefined,
      ports: this.ports.map((port) => ({
        number: port.port,
        name: port.name,
        protocol: port.protocol.toUpperCase(),
        targetPort: port.targetPort !== port.port ? port.targetPort : undefined,
      })),
      location: this.location,
      resolution: p.resolution,
      endpoints: p.endpoints?.length ? p.endpoints.map((e) => ({ address: e.address, ports: e.ports, labels: e.labels, weight: e.weight })) : undefined,
      exportTo: p.exportTo,
    } as l1.ServiceEntrySpec;
  }
}
