import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { MeshConfigError } from './errors';
import { findInvalidObjectNames, ownerPath } from './object-names';
import { runValidationPass, validateOncePerSynth } from './validation-pass';

/**
 * Kinds without a namespace: two of them with one name are one object whatever namespace a chart
 * gives them.
 */
const CLUSTER_SCOPED = new Set([
  '/Namespace', '/Node', '/PersistentVolume', 'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition', 'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration', 'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'storage.k8s.io/StorageClass', 'scheduling.k8s.io/PriorityClass', 'gateway.networking.k8s.io/GatewayClass',
  'cilium.io/CiliumClusterwideNetworkPolicy',
]);

const checkedApps = new WeakSet<IConstruct>();

/**
 * Makes every synth of the app holding `scope` fail when two constructs write the same Kubernetes
 * object (same API group, kind, namespace and name): applied together, one would silently
 * overwrite the other. Idempotent.
 *
 * Objects collide when they are in the same chart, or in charts applied together: a chart and the
 * charts it depends on (`chart.addDependency(other)`, nested charts, dependencies between their
 * constructs), which cdk8s orders into one apply. Charts of one app without such a link are
 * alternatives (bookinfo's scenarios, one chart per mesh) and may each define the same object,
 * as they are analyzed on their own.
 *
 * The same validation checks every object's name against its kind's rules (findInvalidObjectNames):
 * names the library generates from several user names can outgrow them.
 *
 * The check runs as a validation of the app (`app.synth()`, `app.synthYaml()`, `Testing.synth()`)
 * and throws a {@link MeshConfigError} naming the constructs; once per synth (validation-pass.ts).
 */
export function enableObjectIdentityCheck(scope: IConstruct): void {
  const root = scope.node.root;
  if (checkedApps.has(root)) return;
  checkedApps.add(root);
  root.node.addValidation({
    validate: () => runValidationPass(root, () => {
      // The app is validated before its children (cdk8s walks the tree from the root): validate
      // them here too, so that their errors come first and every validation error of the app is a
      // MeshConfigError (cdk8s would throw a plain Error). When all pass, cdk8s calls them again;
      // the library's own (addMeshValidation) answer that call without computing again.
      const all = root.node.findAll();
      const errors = all.filter((c) => c !== root).flatMap((c) => c.node.validate().map((e) => `[${c.node.path}] ${e}`));
      errors.push(...findInvalidObjectNames(all), ...findDuplicateObjects(all));
      if (errors.length) throw new MeshConfigError(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
    }),
  });
  if (root instanceof App) validateOncePerSynth(root);
}

/**
 * The identity of an object in a cluster: `group/Kind namespace/name` (no namespace for
 * cluster-scoped kinds; versions of one kind are one object). Used on constructs and manifests.
 */
export function objectIdentity(apiVersion: string, kind: string, namespace: string | undefined, name: string): string {
  const slash = apiVersion.indexOf('/');
  const groupKind = `${slash < 0 ? '' : apiVersion.slice(0, slash)}/${kind}`;
  const ns = CLUSTER_SCOPED.has(groupKind) ? '' : namespace ?? '';
  return `${groupKind} ${ns ? `${ns}/` : ''}${name}`;
}

/** One message per object that two constructs of charts applied together write (`all`: every construct of the app). */
function findDuplicateObjects(all: IConstruct[]): string[] {
  const together = appliedTogether(all);
  const byIdentity = new Map<string, ApiObject[]>();
  for (const o of all.filter(ApiObject.isApiObject)) {
    const id = objectIdentity(o.apiVersion, o.kind, o.metadata.namespace, o.name);
    const list = byIdentity.get(id);
    if (list) list.push(o);
    else byIdentity.set(id, [o]);
  }
  const problems: string[] = [];
  for (const list of byIdentity.values()) {
    for (let i = 1; i < list.length; i++) {
      const a = list[i];
      const b = list.slice(0, i).find((x) => together(a.chart, x.chart));
      if (!b) continue;
      const where = a.chart === b.chart ? `chart ${a.chart.node.path}` : `charts ${b.chart.node.path} and ${a.chart.node.path}, which are applied together`;
      const ns = a.metadata.namespace ? `${a.metadata.namespace}/` : '';
      problems.push(`${ownerPath(a)}: writes ${a.kind} ${ns}${a.name} (${a.apiVersion}), which ${ownerPath(b)} also writes (${where}); applied together, one would silently replace the other. `
        + 'Fix: keep only one of the two constructs, give one of the objects another name (the construct\'s name or names prop), or move them to charts that are not applied together');
    }
  }
  return problems;
}


/**
 * Whether two charts are applied together: some chart depends on both (itself included), directly
 * or transitively, through chart dependencies, nesting or dependencies between their constructs.
 */
function appliedTogether(all: IConstruct[]): (a: Chart, b: Chart) => boolean {
  const deps = new Map<Chart, Set<Chart>>();
  const edge = (from: Chart | undefined, to: Chart | undefined) => {
    if (from && to && from !== to) deps.set(from, (deps.get(from) ?? new Set()).add(to));
  };
  const charts = all.filter(Chart.isChart);
  for (const c of all) {
    if (Chart.isChart(c) && c.node.scope) edge(chartOf(c.node.scope), c); // a nested chart is synthesized with its parent
    for (const d of c.node.dependencies) edge(chartOf(c), chartOf(d));
  }
  const closures = charts.map((chart) => {
    const seen = new Set<Chart>([chart]);
    const todo = [chart];
    while (todo.length) {
      for (const d of deps.get(todo.pop()!) ?? []) {
        if (seen.has(d)) continue;
        seen.add(d);
        todo.push(d);
      }
    }
    return seen;
  });
  return (a, b) => a === b || closures.some((c) => c.has(a) && c.has(b));
}

function chartOf(c: IConstruct): Chart | undefined {
  try {
    return Chart.of(c);
  } catch {
    return undefined; // the app itself
  }
}
