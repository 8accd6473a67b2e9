#!/usr/bin/env node
// After `jsii-rosetta extract`: every TypeScript example of the README (complete programs, fenced
// `ts nofixture`) and of the doc comments (@example fragments, compiled inside
// rosetta/default.ts-fixture) must have compiled and been translated, so the Python, Java and Go
// examples in the bindings' docs are of code that type-checks against the API.
const fs = require('fs');

const file = process.argv[2] || '.jsii.tabl.json';
const snippets = Object.values(JSON.parse(fs.readFileSync(file, 'utf8')).snippets);
const languages = ['python', 'java', 'go'];
const where = (s) => (s.location.api.api === 'moduleReadme' ? `README.md line ${s.location.field.line}` : `@example of ${s.location.api.fqn}`);
const readme = snippets.filter((s) => s.location.api.api === 'moduleReadme');
const problems = [
  ...snippets.filter((s) => !s.didCompile).map((s) => `${where(s)}: does not compile under jsii-rosetta (run npx jsii-rosetta extract -v .jsii for the errors)`),
  ...snippets.filter((s) => languages.some((l) => !s.translations[l])).map((s) => `${where(s)}: not translated to ${languages.join(', ')}`),
];
if (readme.length === 0) problems.push('the assembly has no README example');

console.log(`rosetta: ${snippets.length} examples (${readme.length} in the README), ${snippets.filter((s) => s.didCompile).length} compiled`);
for (const p of problems) console.error(`rosetta: ${p}`);
console.log(problems.length ? 'rosetta: 0 passed, 1 failed' : 'rosetta: 1 passed, 0 failed');
process.exit(problems.length ? 1 : 0);
