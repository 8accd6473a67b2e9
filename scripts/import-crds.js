#!/usr/bin/env node
// Regenerates the L1 bindings in imports/ from the upstream CRDs in ../shared/crds.
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
  'argoproj.io': { Rollout: 'v1alpha1', AnalysisTemplate: 'v1alpha1', Application: 'v1alpha1', AppProject: 'v1alpha1' },
  'flagger.app': { Canary: 'v1beta1', MetricTemplate: 'v1beta1' },
};

/** kind -> top-level properties left out of its binding: runtime-only fields never rendered into Git. */
const OMIT = {
  Application: ['operation'], // a sync request written by the API server or the CLI, never in Git
};

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

const byGroup = {};
for (const file of crdFiles(CRDS)) {
  for (const doc of YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
    const crd = doc.toJS();
    if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
    const { group, names } = crd.spec;
    const version = (SELECTION[group] || {})[names.kind];
    if (!version) continue;
    const kept = crd.spec.versions.filter((v) => v.name === version);
    if (kept.length !== 1) throw new Error(`${file}: ${names.kind} has no version ${version}`);
    for (const p of OMIT[names.kind] || []) delete kept[0].schema.openAPIV3Schema.properties[p];
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
