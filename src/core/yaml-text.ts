import type * as Yaml from 'yaml';

/**
 * A value as YAML that YAML 1.1 readers read back unchanged: strings such as `on`, `yes`, `no`,
 * `off`, `y` or `1:20` are quoted. Kubernetes (sigs.k8s.io/yaml), Helm and Prometheus read YAML
 * with go-yaml's 1.1 rules, where those unquoted are booleans or numbers; cdk8s writes manifests
 * the same way (its Yaml.stringify).
 */
export function yaml11(value: unknown): string {
  // loaded on use: the library's load stays free of the YAML parser
  const { stringify } = require('yaml') as typeof Yaml;
  return stringify(value, { version: '1.1' });
}
