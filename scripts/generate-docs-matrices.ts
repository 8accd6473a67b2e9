// `npm run docs:matrices`: writes the capability matrix (README.md) and the version matrix
// (docs/versions.md) from the feature table. `--check` only reports whether they are current (CI).
import * as fs from 'fs';
import * as path from 'path';
import { GENERATED_DOCS, replaceGenerated } from '../src/target/feature-matrix';

const root = path.resolve(__dirname, '..', '..');
const check = process.argv.includes('--check');
let stale = 0;
for (const doc of GENERATED_DOCS) {
  const file = path.join(root, doc.file);
  const text = fs.readFileSync(file, 'utf8');
  const next = replaceGenerated(text, doc.marker, doc.render());
  if (next === text) continue;
  stale++;
  if (check) console.error(`${doc.file}: the ${doc.marker} block is out of date: run npm run docs:matrices and commit the result`);
  else fs.writeFileSync(file, next);
}
console.log(check ? `docs:matrices: ${GENERATED_DOCS.length - stale} of ${GENERATED_DOCS.length} generated blocks current` : `docs:matrices: ${stale} blocks rewritten`);
process.exit(check && stale ? 1 : 0);
