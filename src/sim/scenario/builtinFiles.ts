// Where the built-in scenarios come from: the YAML files in ./builtin. A single-file build
// (src/build/bundle.ts) swaps this module for one holding the same files' text, since a bundle
// has no folder beside it to read.
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILTIN_DIR = fileURLToPath(new URL('./builtin/', import.meta.url));

export interface BuiltinFile {
  name: string;
  /** Where it is read from, for error messages. */
  file: string;
  text(): Promise<string>;
}

export async function builtinFiles(): Promise<BuiltinFile[]> {
  const names = (await readdir(BUILTIN_DIR))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => basename(f, '.yaml'))
    // By name, not file name: `healthy` before `healthy-3` (in file names `-` sorts before `.`).
    .sort();
  return names.map((name) => {
    const file = join(BUILTIN_DIR, `${name}.yaml`);
    return { name, file, text: () => readFile(file, 'utf8') };
  });
}
