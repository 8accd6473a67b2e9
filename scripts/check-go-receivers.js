#!/usr/bin/env node
// jsii-pacmak's Go code names a method's receiver after the first letter of its type (`m` for
// ManifestIndex); a parameter of that name does not compile ("m redeclared in this block").
// Checked on the .jsii before pacmak so the message names the method and the fix.
const fs = require('fs');

const assembly = JSON.parse(fs.readFileSync(process.argv[2] || '.jsii', 'utf8'));
const clashes = [];
for (const type of Object.values(assembly.types)) {
  const receiver = type.name[0].toLowerCase();
  for (const method of type.methods ?? []) {
    if (method.static) continue;
    for (const p of method.parameters ?? []) {
      if (p.name === receiver) clashes.push(`${type.name}.${method.name}(${p.name}) in ${type.locationInModule?.filename}: rename the parameter (Go uses '${receiver}' for the ${type.name} receiver)`);
    }
  }
}
for (const c of clashes) console.error(`go: ${c}`);
console.log(clashes.length ? 'go receivers: 0 passed, 1 failed' : 'go receivers: 1 passed, 0 failed');
process.exit(clashes.length ? 1 : 0);
