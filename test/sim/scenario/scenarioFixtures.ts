// Set-up shared by the scenario and timeline tests: the two-cluster scenario text a timeline is
// appended to, the ScenarioError a rejected scenario raises, and a scratch directory for
// scenario files that is removed when the suite ends.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { loadScenarioFile, parseScenarioText } from '../../../src/sim/scenario/load.ts';
import { ScenarioError } from '../../../src/sim/scenario/scenarioError.ts';

/** The `clusters:` of a scenario with two clusters `a` and `b` peered with each other. */
export const TWO_PEERED_CLUSTERS = `clusters:
  - context: a
    clusterId: a
    peers: [b]
  - context: b
    clusterId: b
    peers: [a]
`;

/** The two peered clusters with one global service: what the timeline tests act on. */
export const TIMED_CLUSTERS = `name: timed
summary: two clusters and a timeline
defaults:
  globalServices:
    - { namespace: bookinfo, name: reviews, port: 9080 }
${TWO_PEERED_CLUSTERS}`;

/** TIMED_CLUSTERS with `timeline` (YAML list items) as its `timeline:`. */
export function withTimeline(timeline: string): string {
  return `${TIMED_CLUSTERS}timeline:\n${timeline}`;
}

/** The fixed instant scenarios are generated at, so ages and timestamps do not move. */
export const SCENARIO_NOW = new Date('2026-01-10T12:00:00Z');

function asScenarioError(error: unknown): ScenarioError {
  assert.ok(error instanceof ScenarioError, `expected ScenarioError, got ${String(error)}`);
  return error;
}

/** The error parsing `text` (as if read from `file`) raises; fails the test when it parses. */
export function parseProblem(text: string, file: string): ScenarioError {
  try {
    parseScenarioText(text, file);
  } catch (error) {
    return asScenarioError(error);
  }
  assert.fail('expected the scenario to be rejected');
}

/** The error loading `file` raises (problems only the generated clusters show); fails the test when it loads. */
export async function loadProblem(file: string): Promise<ScenarioError> {
  try {
    await loadScenarioFile(file, { now: SCENARIO_NOW });
  } catch (error) {
    return asScenarioError(error);
  }
  assert.fail('expected the scenario to be rejected');
}

export interface ScratchDir {
  /** The directory's path; set once the suite's `before` hook has run. */
  readonly path: string;
  /** Writes `text` to `name` in the directory and returns the file's path. */
  write(name: string, text: string): Promise<string>;
}

/** A temporary directory for the enclosing suite (or file), created before its tests and removed after them. */
export function scratchDir(prefix: string): ScratchDir {
  let path = '';
  before(async () => {
    path = await mkdtemp(join(tmpdir(), prefix));
  });
  after(async () => {
    await rm(path, { recursive: true, force: true });
  });
  return {
    get path() {
      return path;
    },
    async write(name, text) {
      const file = join(path, name);
      await writeFile(file, text);
      return file;
    },
  };
}
