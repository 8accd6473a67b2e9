import { IConstruct } from 'constructs';
import { millisOf } from '../core/duration';
import { Mesh } from '../core/mesh';
import { ServiceAlerts } from '../observability/alerting/service-alerts';
import { formatNumber } from '../observability/prometheus/promql';
import { IndicatorKind } from '../observability/slo/service-level-indicator';
import { ServiceLevelObjective } from '../observability/slo/service-level-objective';
import type { MeshService } from '../service/mesh-service';
import { CanaryAnalysis } from './canary-analysis';

/** The defaults when neither the analysis nor the service's objectives say otherwise (Flagger's defaults too). */
const DEFAULT_SUCCESS_PERCENT = 99;
const DEFAULT_LATENCY_MS = 500;
const DEFAULT_PERCENTILE = 99;

/** @internal A canary analysis with every threshold settled, and where each came from. */
export interface ResolvedCanaryAnalysis {
  /** The success rate to hold, as a ratio (e.g. 0.99). */
  readonly successRatio: number;
  /** The latency quantile, as a ratio (e.g. 0.99). */
  readonly latencyQuantile: number;
  readonly latencyThresholdMs: number;
  /** The interval in whole seconds. */
  readonly intervalSeconds: number;
  readonly failureLimit: number;
  readonly measurementsPerStage: number;
  readonly minRequests: number;
  readonly prometheusAddress: string;
  /** Where each threshold came from, e.g. `success rate 99.9% from ServiceLevelObjective reviews-availability`. */
  readonly sources: string[];
}

/**
 * Settles an analysis for a service: given values first, then the service's SLOs (the strictest
 * objective of each kind), then its ServiceAlerts, then the defaults. Looks up the objectives in the
 * whole app, so call it at synth (when every construct exists), not in a constructor.
 * @internal
 */
export function resolveCanaryAnalysis(service: MeshService, analysis: CanaryAnalysis): ResolvedCanaryAnalysis {
  const all = service.node.root.node.findAll();
  const slos = all.filter((c): c is ServiceLevelObjective => c instanceof ServiceLevelObjective && c.service === service);
  const alerts = all.filter((c): c is ServiceAlerts => c instanceof ServiceAlerts && c.service === service);
  const strictest = (kind: IndicatorKind) => slos.filter((s) => s.indicator.kind === kind).sort((a, b) => b.objective - a.objective || pathOrder(a, b))[0];
  const sources: string[] = [];

  let successPercent = analysis.successRatePercent;
  if (successPercent !== undefined) sources.push(`success rate ${formatNumber(successPercent)}% given`);
  const availability = strictest(IndicatorKind.AVAILABILITY);
  const alertsWithErrors = alerts.find((a) => a.errorRatioThresholdPercent !== undefined);
  if (successPercent === undefined && availability) {
    successPercent = availability.objective * 100;
    sources.push(`success rate ${formatNumber(successPercent)}% from ServiceLevelObjective ${availability.sloName}`);
  } else if (successPercent === undefined && alertsWithErrors) {
    successPercent = 100 - alertsWithErrors.errorRatioThresholdPercent!;
    sources.push(`success rate ${formatNumber(successPercent)}% from ServiceAlerts ${alertsWithErrors.node.path} (error ratio ${formatNumber(alertsWithErrors.errorRatioThresholdPercent!)}%)`);
  } else if (successPercent === undefined) {
    successPercent = DEFAULT_SUCCESS_PERCENT;
    sources.push(`success rate ${DEFAULT_SUCCESS_PERCENT}% by default`);
  }

  let thresholdMs = analysis.latencyThresholdMs;
  let percentile = analysis.latencyPercentile;
  const latencySlo = strictest(IndicatorKind.LATENCY);
  const alertsWithLatency = alerts.find((a) => a.latencyThresholdMs !== undefined);
  if (thresholdMs !== undefined) {
    sources.push(`latency ${formatNumber(thresholdMs)}ms given`);
  } else if (latencySlo) {
    // "P% of requests within T" is "the P-th percentile is at most T"
    thresholdMs = latencySlo.indicator.thresholdMs!;
    percentile = percentile ?? latencySlo.objective * 100;
    sources.push(`latency ${formatNumber(thresholdMs)}ms from ServiceLevelObjective ${latencySlo.sloName}`);
  } else if (alertsWithLatency) {
    thresholdMs = alertsWithLatency.latencyThresholdMs!;
    percentile = percentile ?? alertsWithLatency.latencyPercentile;
    sources.push(`latency ${formatNumber(thresholdMs)}ms from ServiceAlerts ${alertsWithLatency.node.path}`);
  } else {
    thresholdMs = DEFAULT_LATENCY_MS;
    sources.push(`latency ${DEFAULT_LATENCY_MS}ms by default`);
  }
  percentile = percentile ?? DEFAULT_PERCENTILE;

  return {
    successRatio: Number((successPercent / 100).toPrecision(12)),
    latencyQuantile: Number((percentile / 100).toPrecision(12)),
    latencyThresholdMs: thresholdMs,
    intervalSeconds: millisOf('CanaryAnalysis', 'interval', analysis.interval) / 1000,
    failureLimit: analysis.failureLimit,
    measurementsPerStage: analysis.measurementsPerStage,
    minRequests: analysis.minRequests,
    prometheusAddress: analysis.prometheusAddress ?? (service.mesh === Mesh.LINKERD ? 'http://prometheus.linkerd-viz:9090' : 'http://prometheus.istio-system:9090'),
    sources,
  };
}

function pathOrder(a: IConstruct, b: IConstruct): number {
  return a.node.path < b.node.path ? -1 : a.node.path > b.node.path ? 1 : 0;
}
