import type * as Yaml from 'yaml';

/** A values file's text: its header as `#` comments (how to use it), then the values as YAML. */
export function valuesFile(header: string[], values: Record<string, unknown>): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { stringify } = require('yaml') as typeof Yaml; // loaded on use: the library's load stays free of the YAML parser
  return `${header.map((line) => `# ${line}`).join('\n')}\n${stringify(values)}`;
}
