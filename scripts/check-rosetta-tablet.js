#!/usr/bin/env node
// After `jsii-rosetta extract`: every TypeScript example of the README (complete programs) must
// have compiled, so the Python, Java and Go translations in the bindings' docs are of real code.
// The doc comments' @example fragments compile only with a fixture that declares what they use
// (not written yet): their count is reported, not enforced.
const fs = require('fs');

const file = process.argv[2] || '.jsii.tabl.json';
const snippets = Object.values(JSON.parse(fs.readFileSync(file, 'utf8')).snippets);
const readme = snippets.filter((s) => s.location.api.api === 'moduleReadme');
const examples = snippets.filter((s) => s.location.api.api !== 'moduleReadme');
const failed = readme.filter((s) => !s.didCompile);
const languages = ['python', 'java', 'go'];
const untranslated = readme.filter((s) => languages.some((l) => !s.translations[l]));

console.log(`rosetta: README examples: ${readme.length}, compiled ${readme.length - failed.length}, translated to ${languages.join(', ')}: ${readme.length - untranslated.length}`);
console.log(`rosetta: doc-comment examples: ${examples.length}, compiled ${examples.filter((s) => s.didCompile).length} (fragments; not enforced)`);
if (readme.length === 0 || failed.length > 0 || untranslated.length > 0) {
  for (const s of failed) console.error(`README line ${s.location.field.line}: the example does not compile under jsii-rosetta`);
  console.log(`rosetta: 0 passed, 1 failed`);
  process.exit(1);
}
console.log('rosetta: 1 passed, 0 failed');
