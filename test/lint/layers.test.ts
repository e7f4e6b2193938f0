// The layer rules of eslint.layers.ts refuse what DESIGN.md forbids: a check that reaches for
// the Kubernetes client, product code that loads the simulator outside the demo entry, a screen
// that talks to the feeds. Each probe is linted as if it were a file at that place in the tree.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { layers } from '../../eslint.layers.ts';

const eslint = new ESLint({
  cwd: new URL('../..', import.meta.url).pathname,
  overrideConfigFile: true,
  overrideConfig: [
    { files: ['**/*.ts', '**/*.tsx'], languageOptions: { parser: tseslint.parser }, plugins: { '@typescript-eslint': tseslint.plugin } },
    ...layers,
  ],
});

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

describe('layer rules', () => {
  it('refuse a check importing the Kubernetes client, and allow a type-only import', async () => {
    const refused = await problems(
      'checks/probe.ts',
      "import { classifyError } from '../src/kube/errors.ts';\nexport const x = classifyError;\n",
    );
    assert.equal(refused.length, 1, refused.join('\n'));
    assert.match(refused[0] ?? '', /checks are pure functions of the snapshot/);
    assert.deepEqual(
      await problems(
        'checks/probe.ts',
        "import type { ClassifiedError } from '../src/kube/errors.ts';\nexport type X = ClassifiedError;\n",
      ),
      [],
    );
    assert.deepEqual(
      await problems('checks/probe.ts', "import { objectsIn } from '../src/store/snapshotReads.ts';\nexport const x = objectsIn;\n"),
      [],
    );
  });

  it('refuse a check or product code loading the simulator, statically or lazily, outside the demo entry', async () => {
    assert.equal((await problems('checks/probe.ts', "export const s = await import('../src/sim/simulator.ts');\n")).length, 1);
    assert.equal(
      (await problems('src/report/probe.ts', "import { Simulator } from '../sim/simulator.ts';\nexport const s = Simulator;\n")).length,
      1,
    );
    assert.equal((await problems('src/cli/commands/once.ts', "export const s = await import('../../sim/simulator.ts');\n")).length, 1);
    assert.deepEqual(await problems('src/cli/commands/demo.ts', "export const s = await import('../../sim/simulator.ts');\n"), []);
    assert.deepEqual(await problems('src/sim/probe.ts', "import { Simulator } from './simulator.ts';\nexport const s = Simulator;\n"), []);
  });

  it('refuse a screen or hook talking to the feeds or the client', async () => {
    assert.equal(
      (await problems('screens/probe.tsx', "import { LiveMesh } from '../src/feeds/liveMesh.ts';\nexport const m = LiveMesh;\n")).length,
      1,
    );
    assert.equal(
      (await problems('hooks/probe.ts', "import { ContextClient } from '../src/kube/contextClient.ts';\nexport const c = ContextClient;\n"))
        .length,
      1,
    );
    assert.deepEqual(
      await problems('hooks/probe.ts', "import { createMeshStore } from '../src/store/meshStore.ts';\nexport const c = createMeshStore;\n"),
      [],
    );
  });

  it('refuse a screen importing an action directly: actions reach the screens through ConsoleServices', async () => {
    assert.equal(
      (await problems('screens/probe.ts', "import { planRelabel } from '../src/actions/relabel.ts';\nexport const p = planRelabel;\n"))
        .length,
      1,
    );
  });

  it('refuse the console model importing React, Ink, the screens or the client', async () => {
    for (const source of [
      'ink',
      'react',
      '../../screens/App.ts',
      '../kube/contextClient.ts',
      '../feeds/liveMesh.ts',
      '../sim/simulator.ts',
    ]) {
      const refused = await problems('src/console/probe.ts', `import * as m from '${source}';\nexport const x = m;\n`);
      assert.equal(refused.length, 1, `${source}: ${refused.join('; ')}`);
      assert.match(refused[0] ?? '', /src\/console is the console model/);
    }
    assert.deepEqual(
      await problems('src/console/probe.ts', "import { selectObjects } from '../store/selectors.ts';\nexport const x = selectObjects;\n"),
      [],
    );
    assert.deepEqual(await problems('src/console/probe.ts', "import type { ReactNode } from 'react';\nexport type X = ReactNode;\n"), []);
  });
});
