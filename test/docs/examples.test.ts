import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

// Every ```ts block of the README and docs/*.md that imports from 'cdk8s-mesh' is a complete
// program; all of them are type-checked in one TypeScript program against the library's source.
const root = path.resolve(__dirname, '..', '..');
const pages = ['README.md', ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f))];

interface Block { page: string; line: number; code: string }

function blocksOf(page: string): Block[] {
  const text = fs.readFileSync(path.join(root, page), 'utf8');
  const out: Block[] = [];
  const re = /^```(?:ts|typescript)(?: [^\n]*)?\n([\s\S]*?)^```/gm; // `ts nofixture`: see scripts/rosetta-fixture.js
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (/from ['"]cdk8s-mesh['"]/.test(m[1])) out.push({ page, line: text.slice(0, m.index).split('\n').length, code: m[1] });
  }
  return out;
}

const blocks = pages.flatMap(blocksOf);

test('the documentation has compilable examples', () => {
  expect(blocks.length).toBeGreaterThanOrEqual(7);
});

test('every documentation example type-checks against the library', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-mesh-docs-'));
  const files = blocks.map((b, i) => {
    const file = path.join(dir, `example-${i}.ts`);
    fs.writeFileSync(file, b.code);
    return file;
  });
  const program = ts.createProgram(files, {
    strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10, esModuleInterop: true, types: ['node'], typeRoots: [path.join(root, 'node_modules', '@types')],
    baseUrl: root, paths: { 'cdk8s-mesh': ['src/index.ts'], '*': ['node_modules/*'] },
  });
  const problems = ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file && files.includes(path.resolve(d.file.fileName)))
    .map((d) => {
      const block = blocks[files.indexOf(path.resolve(d.file!.fileName))];
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${block.page}:${block.line + 1 + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
  fs.rmSync(dir, { recursive: true, force: true });
  expect(problems).toEqual([]);
}, 120_000);
