// jsii drops exported free functions and constants from Python, Java and Go without a word. Every
// one the public entry point exports must therefore have a static form on a class (checked to
// exist here), or be listed as a TypeScript-only helper with the reason.
import * as path from 'path';
import * as ts from 'typescript';
import * as lib from '../../src';

const ROOT = path.join(__dirname, '..', '..');

/** Free function or constant → its class form `Class.member`. */
const CLASS_FORMS: Record<string, string> = {
  useMesh: 'MeshSettings.useMesh', meshOf: 'MeshSettings.meshOf', useTarget: 'MeshSettings.useTarget', targetOf: 'MeshSettings.targetOf',
  routesWithGatewayApi: 'MeshSettings.routesWithGatewayApi', MESH_CONTEXT_KEY: 'MeshSettings.MESH_CONTEXT_KEY', TARGET_CONTEXT_KEY: 'MeshSettings.TARGET_CONTEXT_KEY',
  analyze: 'Analysis.analyze', parseManifests: 'Analysis.analyzeYaml', readManifests: 'Analysis.readManifests', findYamlFiles: 'Analysis.findYamlFiles',
  ANALYZERS: 'Analysis.analyzers', formatFinding: 'Analysis.formatFinding', enableAnalysis: 'Analysis.enable', declareKnownHosts: 'Analysis.declareKnownHosts',
  declareKnownGateways: 'Analysis.declareKnownGateways', declareKnownSecrets: 'Analysis.declareKnownSecrets', analysisDisabled: 'Analysis.isDisabled',
  analyzeChart: 'Analysis.analyzeChart', chartManifests: 'Analysis.chartManifests', ANALYSIS_CONTEXT_KEY: 'Analysis.CONTEXT_KEY',
  resolveHost: 'Hosts.resolve', serviceHost: 'Hosts.serviceHost', isWildcard: 'Hosts.isWildcard', hostCovers: 'Hosts.covers', hostsOverlap: 'Hosts.overlap',
  isClusterHost: 'Hosts.isClusterHost',
  groupOf: 'ManifestQueries.groupOf', resourceId: 'ManifestQueries.resourceId', labelsMatch: 'ManifestQueries.labelsMatch', selectorMatches: 'ManifestQueries.selectorMatches',
  exportScopes: 'ManifestQueries.exportScopes', serviceExportScopes: 'ManifestQueries.serviceExportScopes', destinationsOf: 'ManifestQueries.destinationsOf',
  weightedRoutesOf: 'ManifestQueries.weightedRoutesOf', gatewaysOf: 'ManifestQueries.gatewaysOf', isMeshBound: 'ManifestQueries.isMeshBound',
  isInternalGatewayReference: 'ManifestQueries.isInternalGatewayReference', INTERNAL_GATEWAY_MARKER: 'ManifestQueries.INTERNAL_GATEWAY_MARKER',
  ALL_NAMESPACES: 'ManifestQueries.ALL_NAMESPACES', SERVICE_EXPORT_TO_ANNOTATION: 'ManifestQueries.SERVICE_EXPORT_TO_ANNOTATION',
  writeDiagrams: 'Diagrams.write', mermaidText: 'MermaidFlowchart.escapeText', mermaidId: 'MermaidFlowchart.nodeId',
  istiodHelmValues: 'IstiodValues.extensionProviders', serviceDashboard: 'MeshDashboards.forService', meshOverviewDashboard: 'MeshDashboards.meshOverview',
  SRE_WORKBOOK_BURN_RATES: 'BurnRates.sreWorkbook', burnRate: 'BurnRates.rate',
  ISTIO_DURATION_BUCKETS_MS: 'MeshMetrics.ISTIO_DURATION_BUCKETS_MS', LINKERD_LATENCY_BUCKETS_MS: 'MeshMetrics.LINKERD_LATENCY_BUCKETS_MS',
  CILIUM_NAMESPACE_LABEL: 'CiliumNetworkPolicy.NAMESPACE_LABEL', CILIUM_SERVICE_ACCOUNT_LABEL: 'CiliumNetworkPolicy.SERVICE_ACCOUNT_LABEL',
  CONNECTION_POOL_MAX: 'ConnectionPool.MAX', DEFAULT_RATE_LIMIT_HEADERS: 'LocalRateLimit.DEFAULT_RESPONSE_HEADERS',
  GATEWAY_MAX_LISTENERS: 'GatewayApiGateway.MAX_LISTENERS', GATEWAY_API_LIMITS: 'HttpRoute.MAX_RULES', ISTIO_EGRESS_GATEWAY_HOST: 'ExternalService.ISTIO_EGRESS_GATEWAY_HOST',
  ISTIO_INGRESS_GATEWAY_SELECTOR: 'IstioGateway.INGRESS_GATEWAY_SELECTOR', ISTIO_EGRESS_GATEWAY_SELECTOR: 'IstioGateway.EGRESS_GATEWAY_SELECTOR',
  NAMESPACE_NAME_LABEL: 'NetworkPeer.NAMESPACE_NAME_LABEL', REFERENCE_GRANT_MAX_ENTRIES: 'ReferenceGrant.MAX_ENTRIES', DEFAULT_CANARY_STAGES: 'CanaryService.DEFAULT_STAGES',
  LINKERD_RETRY_ANNOTATIONS: 'LinkerdAnnotations.RETRY', FAILURE_ACCRUAL_ANNOTATIONS: 'LinkerdAnnotations.FAILURE_ACCRUAL', linkerdDuration: 'LinkerdAnnotations.duration',
  DEFAULT_WORKLOAD_RESOURCES: 'WorkloadResourcesDefaults.VALUES', ISTIO_PROTOCOL_PREFIXES: 'Protocols.ISTIO_PREFIXES',
  protocolFromPortName: 'Protocols.fromPortName', isHttpProtocol: 'Protocols.isHttp',
};

/** TypeScript-only helpers: what the library's own constructs use, not a feature of their own. */
const TYPESCRIPT_ONLY: Record<string, string> = {
  fail: 'error helper', quote: 'error helper', describeValue: 'error helper', keepMeshConfigErrors: 'error helper', withContext: 'error helper',
  unsupported: 'error helper of the renderers', chartNamespace: 'renderer helper', isAllowGraph: 'the diagram protocol, TypeScript only (a function-typed shape)',
  sortKeys: 'rendering helper', runbookAnnotation: 'rendering helper', validateRunbookBaseUrl: 'validator',
  validateExportTo: 'validator', validateMtlsMode: 'validator', validateNamespacedHost: 'validator', splitOf: 'CanaryService/BlueGreen helper',
};

function exportedFunctionsAndConstants(): string[] {
  const program = ts.createProgram([path.join(ROOT, 'src', 'index.ts')], { noCheck: true, skipLibCheck: true, types: [], target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS });
  const checker = program.getTypeChecker();
  const index = checker.getSymbolAtLocation(program.getSourceFile(path.join(ROOT, 'src', 'index.ts'))!)!;
  return checker.getExportsOfModule(index).flatMap((s) => {
    const decl = (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s).declarations?.[0];
    if (!decl || !(ts.isFunctionDeclaration(decl) || ts.isVariableDeclaration(decl))) return [];
    // @internal declarations are not part of the API (stripped from the declarations we ship)
    const tagged = ts.isVariableDeclaration(decl) ? decl.parent.parent : decl;
    return ts.getJSDocTags(tagged).some((t) => t.tagName.text === 'internal') || /@internal/.test(tagged.getFullText().slice(0, tagged.getLeadingTriviaWidth())) ? [] : [s.name];
  }).sort();
}

test('every exported free function and constant has a class form, or is a listed TypeScript-only helper', () => {
  const unlisted = exportedFunctionsAndConstants().filter((name) => !(name in CLASS_FORMS) && !(name in TYPESCRIPT_ONLY));
  expect(unlisted).toEqual([]);
}, 60_000);

test('each class form exists as a static member', () => {
  const missing = Object.values(CLASS_FORMS).filter((form) => {
    const [cls, member] = form.split('.');
    const c = (lib as any)[cls];
    return typeof c !== 'function' || !(member in c);
  });
  expect(missing).toEqual([]);
});
