import * as fs from 'fs';
import * as path from 'path';

// The README's Python, Java and Go first-service snippets are the programs the bindings' tests run
// (bindings/run-tests.sh compares their YAML with the TypeScript program's), less their header comment.
const root = path.resolve(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

function blocks(language: string): string[] {
  const re = new RegExp('^```' + language + '\\n([\\s\\S]*?)^```', 'gm');
  return [...readme.matchAll(re)].map((m) => m[1]);
}

function program(file: string, comment: string): string {
  const lines = fs.readFileSync(path.join(root, file), 'utf8').split('\n');
  while (lines.length && lines[0].startsWith(comment)) lines.shift();
  return lines.join('\n').replace(/^\n+/, '').replace(/\n+$/, '\n');
}

test.each([
  ['python', 'bindings/python/programs/first_service.py', '#'],
  ['java', 'bindings/java/src/main/java/examples/FirstService.java', '//'],
  ['go', 'bindings/go/cmd/first-service/main.go', '//'],
])('the README\'s %s first service is %s', (language, file, comment) => {
  expect(blocks(language)).toEqual([program(file, comment)]);
});
