#!/usr/bin/env node
// Regenerates the L1 bindings in imports/ from the upstream CRDs in ../shared/crds, and
// ApplicationSet from Argo CD's CRDs at the pinned release (scripts/fetch-argo-cd-crds.sh, which
// this runs): ../shared/crds/argo-cd has none.
//
// Each CRD is filtered to the one version the library emits (smaller bindings, faster compile),
// and all kinds of one API group are concatenated into one file first: `cdk8s import` writes one
// file per group and would otherwise keep only the last CRD imported for it (cdk8s#885).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const YAML = require('yaml');

const CRDS = process.env.CDK8S_MESH_CRDS || path.resolve(__dirname, '..', '..', 'shared', 'crds');
const OUT = path.resolve(__dirname, '..', 'imports');
/** The kinds taken from Argo CD's pinned CRDs rather than ../shared/crds. */
const FROM_ARGO_CD_RELEASE = ['ApplicationSet'];

/** group -> { kind: version } : the API versions the library renders. */
const SELECTION = {
  'networking.istio.io': {
    VirtualService: 'v1', DestinationRule: 'v1', Gateway: 'v1', ServiceEntry: 'v1', Sidecar: 'v1',
    EnvoyFilter: 'v1alpha3',
  },
  'security.istio.io': { AuthorizationPolicy: 'v1', PeerAuthentication: 'v1', RequestAuthentication: 'v1' },
  'telemetry.istio.io': { Telemetry: 'v1' },
  'gateway.networking.k8s.io': { Gateway: 'v1', HTTPRoute: 'v1', ReferenceGrant: 'v1' },
  'policy.linkerd.io': {
    Server: 'v1beta3', AuthorizationPolicy: 'v1alpha1', MeshTLSAuthentication: 'v1alpha1',
    NetworkAuthentication: 'v1alpha1', HTTPLocalRateLimitPolicy: 'v1alpha1', HTTPRoute: 'v1beta3',
  },
  'cilium.io': { CiliumNetworkPolicy: 'v2' },
  'monitoring.coreos.com': {
    ServiceMonitor: 'v1', PodMonitor: 'v1', PrometheusRule: 'v1', AlertmanagerConfig: 'v1alpha1',
  },
  'argoproj.io': { Rollout: 'v1alpha1', AnalysisTemplate: 'v1alpha1', Application: 'v1alpha1', AppProject: 'v1alpha1',
    ApplicationSet: 'v1alpha1' },
  'flagger.app': { Canary: 'v1beta1', MetricTemplate: 'v1beta1' },
};

/** kind -> top-level properties left out of its binding: runtime-only fields never rendered into Git. */
const OMIT = {
  Application: ['operation'], // a sync request written by the API server or the CLI, never in Git
  ApplicationSet: ['status'], // written by the ApplicationSet controller
};

/**
 * kind -> schema paths (property names below spec) left out of its binding: what the library never
 * renders and would only multiply the binding's size. An ApplicationSet's generators keep `list`
 * and `git` (the others, matrix and merge nesting generators in generators, are most of its 1.5 MB
 * CRD), without their per-generator template overrides.
 */
const PRUNE = {
  ApplicationSet: [
    ...['clusterDecisionResource', 'clusters', 'matrix', 'merge', 'oci', 'plugin', 'pullRequest', 'scmProvider', 'selector']
      .map((g) => ['generators', '[]', g]),
    ['generators', '[]', 'list', 'template'],
    ['generators', '[]', 'git', 'template'],
  ],
};

function prune(schema, at) {
  let node = schema.properties.spec;
  for (const step of at.slice(0, -1)) node = step === '[]' ? node.items : node.properties[step];
  if (!node || !node.properties || !(at[at.length - 1] in node.properties)) throw new Error(`import: no ${at.join('.')} to prune`);
  delete node.properties[at[at.length - 1]];
}

function* crdFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* crdFiles(p);
    else if (/\.ya?ml$/.test(entry.name)) yield p;
  }
}

if (!fs.existsSync(CRDS)) {
  console.error(`import: no CRDs at ${CRDS}; set CDK8S_MESH_CRDS or check out ../shared beside this repository`);
  process.exit(2);
}

const argoCdCrds = execFileSync(path.resolve(__dirname, 'fetch-argo-cd-crds.sh'), { encoding: 'utf8' }).trim();
const byGroup = {};
for (const file of [...crdFiles(CRDS), ...crdFiles(argoCdCrds)]) {
  for (const doc of YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
    const crd = doc.toJS();
    if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
    const { group, names } = crd.spec;
    const version = (SELECTION[group] || {})[names.kind];
    if (!version || FROM_ARGO_CD_RELEASE.includes(names.kind) !== file.startsWith(argoCdCrds)) continue;
    const kept = crd.spec.versions.filter((v) => v.name === version);
    if (kept.length !== 1) throw new Error(`${file}: ${names.kind} has no version ${version}`);
    for (const p of OMIT[names.kind] || []) delete kept[0].schema.openAPIV3Schema.properties[p];
    for (const at of PRUNE[names.kind] || []) prune(kept[0].schema.openAPIV3Schema, at);
    crd.spec.versions = [{ ...kept[0], storage: true }];
    (byGroup[group] = byGroup[group] || []).push(crd);
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-mesh-import-'));
const cli = path.resolve(__dirname, '..', 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
for (const group of Object.keys(SELECTION)) {
  const crds = (byGroup[group] || []).sort((a, b) => a.spec.names.kind.localeCompare(b.spec.names.kind));
  const missing = Object.keys(SELECTION[group]).filter((k) => !crds.some((c) => c.spec.names.kind === k));
  if (missing.length) throw new Error(`import: no CRD found for ${group} ${missing.join(', ')}`);
  const file = path.join(tmp, `${group}.yaml`);
  fs.writeFileSync(file, crds.map((c) => YAML.stringify(c)).join('---\n'));
  // cwd: the temp dir, because `cdk8s import` records what it imported in the cdk8s.yaml of its cwd
  execFileSync(process.execPath, [cli, 'import', '--no-check-upgrade', '--language', 'typescript', '--output', OUT, file], {
    stdio: ['ignore', 'inherit', 'inherit'],
    cwd: tmp,
  });
}
fs.rmSync(tmp, { recursive: true, force: true });
console.log(`import: wrote ${Object.keys(SELECTION).length} API groups to ${path.relative(process.cwd(), OUT) || OUT}`);
