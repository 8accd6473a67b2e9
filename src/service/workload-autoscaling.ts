/**
 * A HorizontalPodAutoscaler (`autoscaling/v2`) for a version's Deployment: between `minReplicas`
 * and `maxReplicas` pods, on their average CPU (and optionally memory) use measured against the
 * container's requests. The Deployment then has no `replicas` field, so that applying it again
 * (Argo CD, `kubectl apply`) does not reset the count the autoscaler chose.
 */
export interface HorizontalAutoscaling {
  /** Fewest pods. @default 2 */
  readonly minReplicas?: number;
  /** Most pods; at least `minReplicas`. @default 10 */
  readonly maxReplicas?: number;
  /**
   * Target average CPU use, in percent of the CPU request (`averageUtilization`). It may exceed
   * 100, up to the limit's share of the request (a pod cannot use more than its limit).
   * @default 60
   */
  readonly cpuUtilization?: number;
  /**
   * Target average memory use, in percent of the memory request, in addition to CPU (the
   * autoscaler follows whichever asks for more pods). Many apps do not free memory when load
   * falls, so a memory target can keep the count high.
   * @default - no memory target
   */
  readonly memoryUtilization?: number;
}

/**
 * When a VerticalPodAutoscaler applies its recommendations (`updatePolicy.updateMode`, values of
 * the VPA 1.4+ CRD; `Auto` is deprecated upstream and not offered).
 */
export enum VpaUpdateMode {
  /** Recommend only (in the VPA's status); nothing changes the pods. */
  OFF = 'Off',
  /** Set requests when pods are created; never evict running pods. */
  INITIAL = 'Initial',
  /** Set requests at creation and evict pods whose requests are far from the recommendation. */
  RECREATE = 'Recreate',
  /** Resize running pods in place where the cluster allows it (InPlacePodVerticalScaling), else recreate them. */
  IN_PLACE_OR_RECREATE = 'InPlaceOrRecreate',
}

/**
 * A VerticalPodAutoscaler (`autoscaling.k8s.io/v1`) for a version's Deployment: it recommends CPU
 * and memory requests from the pods' use. It needs the VPA controllers and CRD in the cluster.
 */
export interface VerticalAutoscaling {
  /**
   * Whether it only recommends or also applies. Any mode but OFF is refused beside a
   * HorizontalPodAutoscaler, which measures utilization against the requests a VPA would change.
   * @default VpaUpdateMode.OFF
   */
  readonly updateMode?: VpaUpdateMode;
}
