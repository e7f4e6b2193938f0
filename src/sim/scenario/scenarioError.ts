// A scenario file that cannot be used. The message always names the file, where in it the
// problem is (a path like `clusters[1].eastWest.addressType`, or line:column for YAML syntax)
// and what is wrong, because the person reading it is editing that file right now.

export interface ScenarioErrorLocation {
  /** Path inside the document, e.g. `clusters[1].eastWest.addressType`; '' for the whole document. */
  path?: string;
  /** 1-based, for YAML syntax errors. */
  line?: number;
  column?: number;
}

export class ScenarioError extends Error {
  readonly file: string;
  readonly path: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly problem: string;

  constructor(file: string, problem: string, location: ScenarioErrorLocation = {}) {
    const where =
      location.line !== undefined ? `${file}:${location.line}:${location.column ?? 1}` : location.path ? `${file}: ${location.path}` : file;
    super(`${where}: ${problem}`);
    this.name = 'ScenarioError';
    this.file = file;
    this.path = location.path;
    this.line = location.line;
    this.column = location.column;
    this.problem = problem;
  }
}

/** Thrown while reading a parsed document; the loader adds the file name. */
export class SpecProblem extends Error {
  readonly path: string;
  readonly problem: string;

  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.name = 'SpecProblem';
    this.path = path;
    this.problem = problem;
  }
}
