import { listBuiltinScenarios } from '../../sim/scenario/load.ts';
import { EXIT, UsageError, type ExitCode } from '../exitCodes.ts';

export async function runScenarios(values: Record<string, string | boolean | undefined>): Promise<ExitCode> {
  const output = values.output ?? 'text';
  if (output !== 'text' && output !== 'json') throw new UsageError(`scenarios: --output must be text or json (got "${String(output)}")`);
  const scenarios = await listBuiltinScenarios();
  if (output === 'json') {
    process.stdout.write(JSON.stringify(scenarios, null, 2) + '\n');
    return EXIT.ok;
  }
  const width = Math.max(...scenarios.map((s) => s.name.length));
  for (const s of scenarios) process.stdout.write(`${s.name.padEnd(width)}  ${s.summary}\n`);
  return EXIT.ok;
}
