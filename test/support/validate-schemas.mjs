// Validates Kubernetes objects (a JSON array on stdin) against the schemas that the
// kubernetes-models packages generate from the upstream CRDs and Kubernetes' OpenAPI, and prints
// a JSON report. It is ESM because those packages are ESM-only; test/support/schema.ts runs it in a
// child process so that jest (CommonJS) needs no ESM support.
//
// These schemas have no CEL rules and do not reject unknown fields; kube-validate, run by .ci/run,
// is the stricter check. (The L1 bindings drop fields their schema does not know.)
import { readFileSync } from 'node:fs';

const PACKAGES = {
  '': 'kubernetes-models',
  apps: 'kubernetes-models',
  'networking.k8s.io': 'kubernetes-models',
  'rbac.authorization.k8s.io': 'kubernetes-models',
  'policy': 'kubernetes-models',
  'autoscaling': 'kubernetes-models',
  'batch': 'kubernetes-models',
  'networking.istio.io': '@kubernetes-models/istio',
  'security.istio.io': '@kubernetes-models/istio',
  'telemetry.istio.io': '@kubernetes-models/istio',
  'gateway.networking.k8s.io': '@kubernetes-models/gateway-api',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
  'cilium.io': '@kubernetes-models/cilium',
  'argoproj.io': null, // Application and Rollout live in two packages: resolved below
};

function modulePath(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === 'argoproj.io') {
    const pkg = ['Application', 'AppProject', 'ApplicationSet'].includes(kind) ? '@kubernetes-models/argo-cd' : '@kubernetes-models/argo-rollouts';
    return `${pkg}/${group}/${version}/${kind}`;
  }
  const pkg = PACKAGES[group];
  if (pkg === undefined) return undefined;
  return group === '' ? `${pkg}/${version}/${kind}` : `${pkg}/${group}/${version}/${kind}`;
}

const objects = JSON.parse(readFileSync(0, 'utf8'));
const report = { checked: 0, unchecked: [], invalid: [] };
for (const obj of objects) {
  const id = `${obj.kind}/${obj.metadata?.name ?? '?'}`;
  const path = obj.apiVersion && obj.kind ? modulePath(obj.apiVersion, obj.kind) : undefined;
  if (!path) {
    report.unchecked.push(`${obj.apiVersion} ${id}`);
    continue;
  }
  let Model;
  try {
    Model = (await import(path))[obj.kind];
  } catch (e) {
    report.invalid.push({ object: id, errors: [`no schema for ${obj.apiVersion} ${obj.kind} (${e.message})`] });
    continue;
  }
  report.checked++;
  try {
    new Model(obj).validate();
  } catch (e) {
    const errors = (e.errors ?? [{ message: e.message }]).map((x) => `${x.instancePath ?? ''} ${x.message}${x.params ? ` ${JSON.stringify(x.params)}` : ''}`.trim());
    report.invalid.push({ object: id, errors });
  }
}
process.stdout.write(JSON.stringify(report));
