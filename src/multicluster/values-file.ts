import { yaml11 } from '../core/yaml-text';

/** A values file's text: its header as `#` comments (how to use it), then the values as YAML (Helm reads YAML 1.1). */
export function valuesFile(header: string[], values: Record<string, unknown>): string {
  return `${header.map((line) => `# ${line}`).join('\n')}\n${yaml11(values)}`;
}
