import * as fs from 'fs';
import * as path from 'path';

// jsii-rosetta translates the doc comments' @example code to Python, Java and Go, and
// `npm run package:bindings` (CI) fails on one it cannot compile. The most common cause, an arrow
// function ("not supported in examples"), is caught here already, in `npm test`.
const SRC = path.resolve(__dirname, '..', '..', 'src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

/** The @example blocks of a file's doc comments, with the line each starts on. */
export function examplesOf(text: string): { line: number; code: string }[] {
  const out: { line: number; code: string }[] = [];
  for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const lines = comment[0].split('\n').map((l) => l.replace(/^\s*\*\/?\s?/, '').replace(/^\/\*\*\s?/, ''));
    const start = text.slice(0, comment.index).split('\n').length;
    lines.forEach((l, i) => {
      if (!l.startsWith('@example')) return;
      const body: string[] = [];
      for (let j = i + 1; j < lines.length && !lines[j].startsWith('@'); j++) body.push(lines[j]);
      out.push({ line: start + i, code: body.join('\n') });
    });
  }
  return out;
}

test('no doc-comment @example uses an arrow function, which jsii-rosetta cannot translate', () => {
  const examples = sources(SRC).flatMap((f) => examplesOf(fs.readFileSync(f, 'utf8')).map((e) => ({ ...e, file: path.relative(SRC, f) })));
  expect(examples.length).toBeGreaterThan(40);
  expect(examples.filter((e) => /=>/.test(e.code)).map((e) => `src/${e.file}:${e.line}`)).toEqual([]);
});

test('the example reader finds the code of an @example up to the next tag', () => {
  const text = '/**\n * Doc.\n * @example\n * list.forEach((x) => f(x));\n * @default none\n */\nclass A {}\n';
  expect(examplesOf(text)).toEqual([{ line: 3, code: 'list.forEach((x) => f(x));' }]);
});
