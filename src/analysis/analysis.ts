import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { analyze, AnalyzeOptions } from './analyze';
import { IAnalyzer } from './analyzer';
import { Finding, formatFinding } from './finding';
import { ANALYZERS } from './registry';
import {
  ANALYSIS_CONTEXT_KEY, analysisDisabled, analyzeChart, chartManifests, declareKnownGateways, declareKnownHosts, declareKnownSecrets, enableAnalysis,
} from './synth-analysis';
import { findYamlFiles, parseManifests, readManifests } from './yaml-files';

/**
 * The cross-resource analysis, for every language: the class form of `analyze`, `enableAnalysis`,
 * `declareKnownHosts`, `readManifests`, ... (jsii cannot export free functions, so Python, Java and
 * Go reach them here; TypeScript may use either).
 *
 * Manifests cross the language boundary as JSON (`any`), so every field of every object arrives
 * whole; findings come back as {@link Finding} structs.
 *
 * @example
 * const findings = Analysis.analyzeYaml(manifestsYaml); // e.g. the text of dist/app.k8s.yaml
 * for (const finding of findings) {
 *   console.log(Analysis.formatFinding(finding));
 * }
 */
export class Analysis {
  /** The context key that turns synth-time analysis off when set to `off` (`cdk8s-mesh:analysis`). */
  public static readonly CONTEXT_KEY = ANALYSIS_CONTEXT_KEY;

  /**
   * Runs the checks on Kubernetes objects (plain JSON, as synthesized or parsed from YAML) and
   * returns the findings, errors first, in a stable order.
   */
  public static analyze(manifests: any[], options: AnalyzeOptions = {}): Finding[] {
    return analyze(manifests, options);
  }

  /** Parses (multi-document) YAML text and analyzes its objects; `List` objects are flattened. */
  public static analyzeYaml(yaml: string, options: AnalyzeOptions = {}): Finding[] {
    return analyze(parseManifests(yaml, '<yaml>').map(({ __file, ...m }) => m as any), options);
  }

  /** The checks `analyze` runs by default. */
  public static analyzers(): IAnalyzer[] {
    return [...ANALYZERS];
  }

  /** Formats a finding as one line: `error IST0101 VirtualService default/reviews: ...`. */
  public static formatFinding(finding: Finding): string {
    return formatFinding(finding);
  }

  /** Makes every synth of the chart holding `scope` analyze that chart (the L2 constructs do this themselves). */
  public static enable(scope: IConstruct): void {
    enableAnalysis(scope);
  }

  /** Declares hosts that exist outside the app (FQDNs or wildcards) for the synth-time analysis. */
  public static declareKnownHosts(scope: IConstruct, hosts: string[]): void {
    declareKnownHosts(scope, hosts);
  }

  /** Declares Istio Gateways (`namespace/name`) that exist outside the app, for the synth-time analysis. */
  public static declareKnownGateways(scope: IConstruct, gateways: string[]): void {
    declareKnownGateways(scope, gateways);
  }

  /** Declares Secrets (`namespace/name`) that exist outside the app, for the synth-time analysis. */
  public static declareKnownSecrets(scope: IConstruct, secrets: string[]): void {
    declareKnownSecrets(scope, secrets);
  }

  /** True if analysis is turned off for the chart with the `cdk8s-mesh:analysis` context. */
  public static isDisabled(chart: Chart): boolean {
    return analysisDisabled(chart);
  }

  /** Renders and analyzes a chart without writing anything; prints the warnings, returns the errors as lines. */
  public static analyzeChart(chart: Chart): string[] {
    return analyzeChart(chart);
  }

  /** The chart's objects as JSON, rendered without synthesizing the app. */
  public static chartManifests(chart: Chart): any[] {
    return chartManifests(chart);
  }

  /** The `.yaml` / `.yml` files under a path (the path itself if it is a file), sorted. */
  public static findYamlFiles(path: string): string[] {
    return findYamlFiles(path);
  }

  /** The Kubernetes objects of a (multi-document) YAML file, as JSON; `List` objects are flattened. */
  public static readManifests(file: string): any[] {
    return readManifests(file);
  }

  private constructor() {}
}
