import { Manifest } from './manifest';

/** A Service port as the analyzers see it. */
export interface IndexedServicePort {
  readonly port: number;
  /** @default - unnamed */
  readonly name?: string;
  /** @default - none */
  readonly appProtocol?: string;
  /** The L4 protocol. @default 'TCP' */
  readonly protocol: string;
  /** The container port number traffic goes to. @default - the port (or a named container port) */
  readonly targetPortNumber?: number;
}

/** A Kubernetes Service of the set. */
export interface IndexedService {
  readonly manifest: Manifest;
  readonly name: string;
  readonly namespace: string;
  /** `<name>.<namespace>.svc.<domain>` */
  readonly host: string;
  readonly ports: IndexedServicePort[];
  /** Undefined for a Service without selector (endpoints managed elsewhere). */
  readonly selector?: Record<string, string>;
  readonly type: string;
  /** The namespaces that see it (its `networking.istio.io/exportTo` annotation); `*` for all. */
  readonly exportTo: string[];
}

/** A pod-creating object of the set (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod, Argo Rollout). */
export interface IndexedWorkload {
  readonly manifest: Manifest;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** The labels its pods get. */
  readonly podLabels: Record<string, string>;
  /** @default 'default' (Kubernetes' default) */
  readonly serviceAccountName: string;
  /** The node a Pod runs on (`spec.nodeName`). @default - unknown (a pod template, or an unscheduled Pod) */
  readonly nodeName?: string;
}

/** A host listed by an Istio Gateway server: `[namespace/]host`. */
export interface GatewayServerHost {
  /** The namespace a VirtualService must be in to bind this host; `*` for any. */
  readonly namespace: string;
  readonly host: string;
}

/** An Istio `Gateway` (networking.istio.io) of the set. */
export interface IndexedGateway {
  readonly manifest: Manifest;
  readonly name: string;
  readonly namespace: string;
  /** Every host of every server. */
  readonly hosts: GatewayServerHost[];
}

/** A subset of a DestinationRule. */
export interface IndexedSubset {
  readonly name: string;
  readonly labels: Record<string, string>;
}

/** An Istio `DestinationRule` of the set. */
export interface IndexedDestinationRule {
  readonly manifest: Manifest;
  readonly name: string;
  readonly namespace: string;
  /** The rule's host, resolved to a FQDN in the rule's namespace (may be a wildcard). */
  readonly host: string;
  readonly subsets: IndexedSubset[];
}

/** A host declared by a ServiceEntry. */
export interface IndexedServiceEntryHost {
  readonly manifest: Manifest;
  /** Resolved in the entry's namespace (may be a wildcard). */
  readonly host: string;
  readonly ports: number[];
  /** The namespaces that see it (the entry's `exportTo`); `*` for all. */
  readonly exportTo: string[];
}

/** What a destination host names, as visible from the object naming it: a Service or a ServiceEntry host. */
export interface VisibleDestination {
  /** @default - not a Service */
  readonly service?: IndexedService;
  /** @default - not a ServiceEntry host */
  readonly entry?: IndexedServiceEntryHost;
  /** The ports it exposes. */
  readonly ports: number[];
}
