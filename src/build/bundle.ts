// Bundles the whole product (our code, its dependencies, the built-in scenarios and the version)
// into one ES module, dist/mesh-tui.mjs: the input of the single executable, and a start-up that
// skips type stripping and resolving thousands of files. Nothing in it reads node_modules or src/.
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

export const root = fileURLToPath(new URL('../../', import.meta.url));
const builtinDir = join(root, 'src/sim/scenario/builtin');

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Files the product reads beside its sources at run time, made part of the bundle. */
const embedAssets: Plugin = {
  name: 'embed-assets',
  setup(b) {
    b.onLoad({ filter: /src[/\\]cli[/\\]version\.ts$/ }, () => ({
      loader: 'ts',
      contents: `export function toolVersion(): string { return ${JSON.stringify(packageVersion())}; }\n`,
    }));
    b.onLoad({ filter: /src[/\\]cli[/\\]main\.ts$/ }, (args) => {
      // main.ts is the bundle's entry; inside a single executable import.meta.main is not ours to rely on.
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('if (import.meta.main)'))
        throw new Error('src/cli/main.ts no longer guards its start with import.meta.main; update src/build/bundle.ts');
      return { loader: 'ts', contents: source.replace('if (import.meta.main)', 'if (true)') };
    });
    b.onLoad({ filter: /src[/\\]sim[/\\]scenario[/\\]builtinFiles\.ts$/ }, () => {
      // The same order as builtinFiles.ts: by name.
      const files = readdirSync(builtinDir)
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => f.slice(0, -'.yaml'.length))
        .sort()
        .map((name) => ({ name, file: `builtin/${name}.yaml`, text: readFileSync(join(builtinDir, `${name}.yaml`), 'utf8') }));
      return {
        loader: 'js',
        contents: [
          `const files = ${JSON.stringify(files)};`,
          'export async function builtinFiles() {',
          '  return files.map((f) => ({ name: f.name, file: f.file, text: async () => f.text }));',
          '}',
          '',
        ].join('\n'),
      };
    });
    // Ink loads its devtools bridge only when DEV=true; the product never ships it.
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      loader: 'js',
      contents: 'export default { initialize() {}, connectToDevTools() {} };\n',
    }));
  },
};

export async function bundle(outfile = join(root, 'dist/mesh-tui.mjs')): Promise<string> {
  const result = await build({
    write: false,
    entryPoints: [join(root, 'src/cli/main.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    define: { 'process.env.NODE_ENV': '"production"' },
    // CommonJS dependencies call require() for node: builtins; an ES module has no require of its own.
    banner: {
      js: "import { createRequire as __meshTuiCreateRequire } from 'node:module';\nconst require = __meshTuiCreateRequire(import.meta.url);",
    },
    plugins: [embedAssets],
    legalComments: 'none',
    logLevel: 'warning',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('bundle: esbuild wrote nothing');
  // Renamed into place: a build running at the same time (npm pack in another test) never reads half a file.
  mkdirSync(dirname(outfile), { recursive: true });
  const partial = `${outfile}.${process.pid}.partial`;
  writeFileSync(partial, output.contents);
  renameSync(partial, outfile);
  return outfile;
}

if (import.meta.main) {
  const started = performance.now();
  const out = await bundle();
  process.stdout.write(`bundle: ${out} in ${Math.round(performance.now() - started)} ms\n`);
}
