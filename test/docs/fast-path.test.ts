// The README's fast user path: its cdk8s.yaml `app:` command (ts-node, transpile only) runs the
// README's first service as a user's main.ts and synthesizes it.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

test('the README quick start synthesizes through its transpile-only cdk8s.yaml app', () => {
  const app = /^```yaml\nlanguage: typescript\napp: (.+)\n/m.exec(readme)?.[1];
  expect(app).toBe('node -r ts-node/register/transpile-only main.ts');
  const first = /^## A first service\n\n```ts(?: [^\n]*)?\n([\s\S]*?)^```/m.exec(readme)?.[1];
  expect(first).toMatch(/from 'cdk8s-mesh'/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-mesh-fast-path-'));
  try {
    // the user's main.ts, importing the library's source instead of the installed package
    fs.writeFileSync(path.join(dir, 'main.ts'), first!.replace(/'cdk8s-mesh'/, JSON.stringify(path.join(root, 'src'))));
    // a CommonJS project, as cdk8s's TypeScript template writes it
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true } }));
    const args = app!.split(' ').slice(1); // after `node`
    const r = spawnSync(process.execPath, args, {
      cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') },
    });
    // stderr carries the analysis' warnings (the README's example has no Service objects)
    if (r.status !== 0) throw new Error(`the app failed (${r.status}): ${r.stderr}`);
    const yaml = fs.readFileSync(path.join(dir, 'dist', 'reviews.k8s.yaml'), 'utf8');
    expect(yaml).toMatch(/kind: VirtualService\n/);
    expect(yaml).toMatch(/kind: DestinationRule\n/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
