// `npm run build`: the bundle, then one executable holding Node and the bundle
// (dist/mesh-tui-linux-x64) for bastions with no Node, then dist/SHA256SUMS.
// Node 26 builds it (`--build-sea`, ES-module main). It is fetched with npm into .cache/ rather
// than listed as a dependency: an npm alias of the `node` package would take over
// node_modules/.bin/node, which must stay the project's Node 24.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { bundle, root } from './bundle.ts';

const dist = join(root, 'dist');
const BUILD_NODE_VERSION = '26.10.0';
/** Node flags the executable starts with: the same young-generation cap bin/mesh-tui passes (see there why). */
const RUNTIME_FLAGS = ['--max-semi-space-size=8'];

/** The Node that builds the executable, and whose runtime the executable carries. */
function buildNode(): string {
  const dir = join(root, '.cache/build-node', BUILD_NODE_VERSION);
  const bin = join(dir, 'package/bin/node');
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  const spec = `node-${process.platform}-${process.arch}@${BUILD_NODE_VERSION}`;
  const tarball =
    execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', dir], { encoding: 'utf8' }).trim().split('\n').pop() ?? '';
  execFileSync('tar', ['-xzf', join(dir, tarball), '-C', dir]);
  rmSync(join(dir, tarball));
  return bin;
}

export function executableName(): string {
  return `mesh-tui-${process.platform}-${process.arch}`;
}

export async function buildExecutable(): Promise<string> {
  const main = await bundle(join(dist, 'mesh-tui.mjs'));
  const output = join(dist, executableName());
  const configFile = join(dist, 'sea-config.json');
  writeFileSync(
    configFile,
    JSON.stringify(
      {
        main,
        mainFormat: 'module',
        output,
        disableExperimentalSEAWarning: true,
        useSnapshot: false,
        useCodeCache: false,
        execArgv: RUNTIME_FLAGS,
      },
      null,
      2,
    ),
  );
  execFileSync(buildNode(), ['--build-sea', configFile], { stdio: ['ignore', 'ignore', 'inherit'] });
  const sums = [main, output]
    .map((file) => `${createHash('sha256').update(readFileSync(file)).digest('hex')}  ${basename(file)}\n`)
    .join('');
  writeFileSync(join(dist, 'SHA256SUMS'), sums);
  return output;
}

if (import.meta.main) {
  const started = performance.now();
  const out = await buildExecutable();
  const mb = (statSync(out).size / 1e6).toFixed(1);
  process.stdout.write(`build: ${out} (${mb} MB) in ${Math.round(performance.now() - started)} ms\n`);
}
