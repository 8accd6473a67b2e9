// `npm run synth`: synthesizes every example app into dist/<example>/, one YAML file per chart.
// Each examples/<name>/main.ts exports `createApp(outdir)`; the app runs the synth-time analysis,
// and a Mermaid diagram of each chart's traffic is written beside its YAML.
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { writeDiagrams } from '../src/diagram';

interface ExampleModule {
  createApp(outdir: string): App;
}

const root = path.resolve(__dirname, '..', '..');
const compiledExamples = path.resolve(__dirname, '..', 'examples');
const only = process.argv.slice(2);

const names = fs.readdirSync(compiledExamples)
  .filter((n) => fs.existsSync(path.join(compiledExamples, n, 'main.js')))
  .filter((n) => only.length === 0 || only.includes(n))
  .sort();
if (names.length === 0) {
  console.error(`synth: no examples found under ${compiledExamples}; run npm run build first`);
  process.exit(1);
}
for (const name of names) {
  const started = process.hrtime.bigint();
  const outdir = path.join(root, 'dist', name);
  fs.rmSync(outdir, { recursive: true, force: true });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const example = require(path.join(compiledExamples, name, 'main.js')) as ExampleModule;
  const app = example.createApp(outdir);
  app.synth();
  writeDiagrams(app, outdir);
  const files = fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml')).length;
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`synth: ${name}: ${files} files in ${path.relative(root, outdir)}/ (${ms.toFixed(0)} ms)`);
}
