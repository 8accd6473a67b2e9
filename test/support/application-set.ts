// Reads an ApplicationSet of ArgoCdApplicationSet back into the Applications it generates, for
// comparing them with what the Applications mode renders.

/**
 * The Application an element stands for: the template with each action replaced by the element's
 * value of the key it names (the actions are only `{{ .key }}` in strings and `{{ toJson .key }}`
 * as a patch field's whole value, as test/gitops/argo-cd-application-set.test.ts checks), the
 * patch fields set as a strategic merge patch sets empty or absent fields, and an empty
 * ignoreDifferences dropped as the controller's omitempty drops it.
 */
export function generated(s: any, element: any): any {
  const fill = (v: any): any => (typeof v === 'string' ? v.replace(/\{\{ \.(\w+) \}\}/g, (_m, k) => element[k])
    : Array.isArray(v) ? v.map(fill) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)])) : v);
  const app = fill(s.template);
  for (const m of (s.templatePatch ?? '').matchAll(/^ {2}(\w+): \{\{ toJson \.(\w+) \}\}$/gm)) {
    if (m[2] === 'ignoreDifferences' && element[m[2]].length === 0) continue;
    app.spec[m[1]] = element[m[2]];
  }
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ...app };
}
