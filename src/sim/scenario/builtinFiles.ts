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
  const files = (await readdir(BUILTIN_DIR)).filter((f) => f.endsWith('.yaml')).sort();
  return files.map((f) => {
    const file = join(BUILTIN_DIR, f);
    return { name: basename(f, '.yaml'), file, text: () => readFile(file, 'utf8') };
  });
}
