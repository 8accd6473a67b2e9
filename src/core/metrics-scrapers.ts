import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

/** A Prometheus that scrapes the mesh proxies of some namespaces, as an ObservabilityStack declares it. */
export interface MetricsScraper {
  /** The namespace Prometheus runs in. */
  readonly namespace: string;
  /** The labels of the Prometheus pods. */
  readonly podLabels: Record<string, string>;
  /** The proxies' metrics ports it scrapes (Istio 15020/15090, Linkerd 4191). */
  readonly ports: number[];
  /** The namespaces whose pods it scrapes. */
  readonly targetNamespaces: string[];
}

const scrapers = new WeakMap<Chart, MetricsScraper[]>();
const listeners = new WeakMap<Chart, Array<(scraper: MetricsScraper) => void>>();

/**
 * Declares a scraper in the chart of `scope`, so that deny-by-default namespaces of the same chart
 * (StrictMtlsNamespace) admit it to the proxies' metrics ports, whichever construct comes first.
 */
export function declareMetricsScraper(scope: IConstruct, scraper: MetricsScraper): void {
  const chart = Chart.of(scope);
  const list = scrapers.get(chart) ?? [];
  list.push(scraper);
  scrapers.set(chart, list);
  for (const listener of listeners.get(chart) ?? []) listener(scraper);
}

/** Calls `listener` with each scraper declared in the chart of `scope`, before or after this call. */
export function onMetricsScraper(scope: IConstruct, listener: (scraper: MetricsScraper) => void): void {
  const chart = Chart.of(scope);
  listeners.set(chart, [...(listeners.get(chart) ?? []), listener]);
  for (const scraper of scrapers.get(chart) ?? []) listener(scraper);
}

/** The scrapers declared in the chart of `scope` that scrape `namespace`; read at synth. */
export function metricsScrapersOf(scope: IConstruct, namespace: string): MetricsScraper[] {
  return (scrapers.get(Chart.of(scope)) ?? []).filter((s) => s.targetNamespaces.includes(namespace));
}
