import { ApiObject, ApiObjectMetadata, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { enableAnalysis } from '../analysis/synth-analysis';
import { enableObjectIdentityCheck } from './object-identity';
import { validateDnsLabel, validateDnsSubdomain } from './names';
import { validateLabels } from './labels';

/** Metadata props of a resource whose namespace its construct or factory decides. */
export interface MeshResourceOptions {
  /**
   * The object name.
   * @default - the construct id
   */
  readonly name?: string;
  /** @default - none */
  readonly labels?: Record<string, string>;
  /** @default - none */
  readonly annotations?: Record<string, string>;
}

/** Metadata props shared by every L2 resource. */
export interface MeshResourceProps extends MeshResourceOptions {
  /**
   * The object namespace.
   * @default - the chart's namespace (none rendered when the chart has none)
   */
  readonly namespace?: string;
}

/**
 * Base of the L2 constructs: one Kubernetes object, wrapped under the id `Resource`, whose spec is
 * rendered lazily from the construct's state (`_toKube()`, free of side effects).
 */
export abstract class MeshResource extends Construct {
  /** The object name. */
  public readonly name: string;
  /** The object namespace, if set on the resource or its chart. */
  public readonly namespace?: string;
  /** The underlying L1 object: an escape hatch for fields the L2 does not model. */
  public abstract readonly apiObject: ApiObject;

  protected constructor(scope: Construct, id: string, props: MeshResourceProps) {
    super(scope, id);
    enableAnalysis(this);
    enableObjectIdentityCheck(this);
    this.name = validateDnsSubdomain(this, 'name', props.name ?? id);
    const ns = props.namespace ?? Chart.of(this).namespace;
    this.namespace = ns === undefined ? undefined : validateDnsLabel(this, 'namespace', ns);
    validateLabels(this, 'labels', props.labels);
  }

  /** The metadata to give the L1 object. */
  protected metadata(props: MeshResourceProps): ApiObjectMetadata {
    return { name: this.name, namespace: this.namespace, labels: props.labels, annotations: props.annotations };
  }
}
