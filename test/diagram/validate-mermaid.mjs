// Parses Mermaid diagrams with the real `mermaid` parser (ESM, needs a DOM: jsdom).
// Input on stdin: a JSON array of { name, text }. Output: a JSON array of "name: error" strings.
// Exits with 3 when mermaid or jsdom cannot be found (searched from the working directory and
// the directories in MERMAID_MODULES, separated by ':').
import { createRequire } from 'module';
import * as path from 'path';
import { pathToFileURL } from 'url';

const require = createRequire(import.meta.url);
const paths = [process.cwd(), ...(process.env.MERMAID_MODULES ?? '').split(':').filter(Boolean)];

function locate(pkg, entry) {
  try {
    const dir = path.dirname(require.resolve(`${pkg}/package.json`, { paths }));
    return pathToFileURL(path.join(dir, entry)).href;
  } catch {
    return undefined;
  }
}

const mermaidUrl = locate('mermaid', 'dist/mermaid.core.mjs');
const jsdomUrl = locate('jsdom', 'lib/api.js');
if (!mermaidUrl || !jsdomUrl) {
  process.stderr.write('mermaid and jsdom are not installed\n');
  process.exit(3);
}
const { JSDOM } = await import(jsdomUrl);
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import(mermaidUrl);

let input = '';
for await (const chunk of process.stdin) input += chunk;
const problems = [];
for (const { name, text } of JSON.parse(input)) {
  try {
    const result = await mermaid.parse(text);
    if (!result || !String(result.diagramType).startsWith('flowchart')) problems.push(`${name}: parsed as ${result?.diagramType}`);
  } catch (e) {
    problems.push(`${name}: ${String(e?.message ?? e).split('\n').slice(0, 4).join(' ')}`);
  }
}
process.stdout.write(JSON.stringify(problems));
