import { Size } from 'cdk8s';

/** CPU and memory requests and limits of a container. */
export interface WorkloadResources {
  /** CPU request in millicores. @default 100 */
  readonly cpuRequestMillis?: number;
  /** CPU limit in millicores. @default 1000 */
  readonly cpuLimitMillis?: number;
  /** @default Size.mebibytes(128) */
  readonly memoryRequest?: Size;
  /** @default Size.mebibytes(512) */
  readonly memoryLimit?: Size;
}

/** The defaults of {@link WorkloadResources}. */
export const DEFAULT_WORKLOAD_RESOURCES = {
  cpuRequestMillis: 100,
  cpuLimitMillis: 1000,
  memoryRequest: Size.mebibytes(128),
  memoryLimit: Size.mebibytes(512),
} as const;

/** The defaults of {@link WorkloadResources}, for every language (the class form of `DEFAULT_WORKLOAD_RESOURCES`). */
export class WorkloadResourcesDefaults {
  /** 100m CPU request, 1000m CPU limit, 128 MiB memory request, 512 MiB memory limit. */
  public static readonly VALUES: WorkloadResources = { ...DEFAULT_WORKLOAD_RESOURCES };

  private constructor() {}
}
