// Entry points: load a scenario from a YAML file or by built-in name, and list the built-ins.
// Built-ins are ordinary files in ./builtin and go through exactly the same path.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { load as parseYaml, YAMLException } from 'js-yaml';
import { generateScenario } from './generate/generateScenario.ts';
import type { Scenario } from './model.ts';
import { readScenario } from './readScenario.ts';
import { builtinFiles, type BuiltinFile } from './builtinFiles.ts';
import { ScenarioError, SpecProblem } from './scenarioError.ts';
import type { ScenarioSpec } from './spec.ts';

export interface LoadOptions {
  /** The scenario clock: "now" for timestamps, ages and expiries. Defaults to the real time. */
  now?: Date;
}

/** Parses and validates without generating objects (cheap: no keys, no certificates). */
export function parseScenarioText(text: string, file: string): ScenarioSpec {
  let document: unknown;
  try {
    document = parseYaml(text, { filename: file });
  } catch (error) {
    if (error instanceof YAMLException) {
      throw new ScenarioError(file, `YAML syntax error: ${error.reason}`, {
        line: (error.mark?.line ?? 0) + 1,
        column: (error.mark?.column ?? 0) + 1,
      });
    }
    throw error;
  }
  try {
    return readScenario(document);
  } catch (error) {
    if (error instanceof SpecProblem) throw new ScenarioError(file, error.problem, { path: error.path });
    throw error;
  }
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ScenarioError(file, code === 'ENOENT' ? 'no such file' : `cannot read: ${(error as Error).message}`);
  }
}

/** Generation checks what only the generated clusters can tell (e.g. that a timeline names an object that exists). */
function generate(spec: ScenarioSpec, file: string, source: string, now: Date): Scenario {
  try {
    return generateScenario(spec, source, now);
  } catch (error) {
    if (error instanceof SpecProblem) throw new ScenarioError(file, error.problem, { path: error.path });
    throw error;
  }
}

export async function loadScenarioFile(path: string, options: LoadOptions = {}): Promise<Scenario> {
  const file = resolve(path);
  const spec = parseScenarioText(await readText(file), file);
  return generate(spec, file, file, options.now ?? new Date());
}

export async function loadBuiltinScenario(name: string, options: LoadOptions = {}): Promise<Scenario> {
  const builtins = await builtinFiles();
  const found = builtins.find((b) => b.name === name);
  if (!found) {
    const names = builtins.map((b) => b.name);
    throw new ScenarioError(`builtin:${name}`, `no built-in scenario named ${JSON.stringify(name)}; expected one of ${names.join(', ')}`);
  }
  const spec = parseScenarioText(await builtinText(found), found.file);
  if (spec.name !== name)
    throw new ScenarioError(found.file, `name ${JSON.stringify(spec.name)} must match the file name ${JSON.stringify(name)}`, {
      path: 'name',
    });
  return generate(spec, found.file, `builtin:${name}`, options.now ?? new Date());
}

async function builtinText(builtin: BuiltinFile): Promise<string> {
  try {
    return await builtin.text();
  } catch (error) {
    throw new ScenarioError(builtin.file, `cannot read: ${(error as Error).message}`);
  }
}

export async function listBuiltinScenarios(): Promise<{ name: string; summary: string }[]> {
  const result: { name: string; summary: string }[] = [];
  for (const builtin of await builtinFiles()) {
    const spec = parseScenarioText(await builtinText(builtin), builtin.file);
    result.push({ name: builtin.name, summary: spec.summary });
  }
  return result;
}
