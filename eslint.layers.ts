// The layers of DESIGN.md, held by lint rather than by good intentions: data flows
// kube → feeds → store → checks → screens/report, and the simulator is reached only by the
// commands that run it. Type-only imports are allowed (a type carries no code and no I/O).
// test/layers.test.ts lints a deliberate cross-layer import with these rules and expects it refused.

import type { Linter } from 'eslint';

function forbid(regex: string, message: string): { regex: string; message: string; allowTypeImports: boolean } {
  return { regex, message, allowTypeImports: true };
}

function forbidDynamic(regex: string, message: string): { selector: string; message: string } {
  return { selector: `ImportExpression[source.value=/${regex}/]`, message };
}

const CHECKS_PURE = 'checks are pure functions of the snapshot: no kube, feeds or simulator (DESIGN.md)';
const SIM_ONLY_FROM_DEMO = 'product code reaches the simulator only through the demo entry and the sim commands (DESIGN.md)';
const SCREENS_READ_STORE = 'screens and hooks read the store and call actions; they never talk to Kubernetes (DESIGN.md)';
const CONSOLE_MODEL_PURE =
  'src/console is the console model: no React or Ink (that is screens/ and hooks/), no Kubernetes I/O (that comes in through services)';

export const layers: Linter.Config[] = [
  {
    files: ['checks/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [forbid('(^|/)src/(kube|feeds|sim)/', CHECKS_PURE)] }],
      'no-restricted-syntax': ['error', forbidDynamic('src\\/(kube|feeds|sim)\\/', CHECKS_PURE)],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/sim/**', 'src/cli/commands/demo.ts', 'src/cli/commands/sim.ts', 'src/cli/commands/scenarios.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [forbid('(^|/)sim/', SIM_ONLY_FROM_DEMO)] }],
      'no-restricted-syntax': ['error', forbidDynamic('(^|\\/)sim\\/', SIM_ONLY_FROM_DEMO)],
    },
  },
  {
    files: ['screens/**/*.ts', 'screens/**/*.tsx', 'hooks/**/*.ts', 'hooks/**/*.tsx'],
    rules: {
      // The console's actions reach the screens through ConsoleServices, not by import: src/actions talks to Kubernetes.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [forbid('(^|/)src/(kube|feeds|sim|actions)/', SCREENS_READ_STORE)] },
      ],
      'no-restricted-syntax': ['error', forbidDynamic('src\\/(kube|feeds|sim|actions)\\/', SCREENS_READ_STORE)],
    },
  },
  {
    // A later block replaces an earlier one's rule for the same files: the simulator stays forbidden here too.
    files: ['src/console/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid('(^|/)(kube|feeds|actions|sim)/', CONSOLE_MODEL_PURE),
            forbid('^(react|ink)([/-]|$)|(^|/)(screens|hooks)/', CONSOLE_MODEL_PURE),
          ],
        },
      ],
      'no-restricted-syntax': ['error', forbidDynamic('(^|\\/)(kube|feeds|actions|sim)\\/|^(react|ink)', CONSOLE_MODEL_PURE)],
    },
  },
];
