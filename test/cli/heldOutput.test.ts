// While the console draws, mesh-tui's own warnings and library console.* output are held and
// printed after the terminal is restored, in order; before and after, they go straight to stderr.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { holdOutput, isHoldingOutput, releaseOutput, warn } from '../../src/cli/heldOutput.ts';

function captureStderr(run: () => void): string {
  const original = process.stderr.write.bind(process.stderr);
  let written = '';
  process.stderr.write = (chunk: string | Uint8Array): boolean => {
    written += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  };
  try {
    run();
  } finally {
    process.stderr.write = original;
  }
  return written;
}

describe('held output', () => {
  it('holds warnings and console.* while the console runs, prints them in order after release', () => {
    const log = console.log;
    const during = captureStderr(() => {
      holdOutput();
      assert.equal(isHoldingOutput(), true);
      warn('mesh-tui: warning: unhandled rejection: socket hang up');
      console.error('a library complains', 42);
      console.log('two\nlines');
    });
    assert.equal(during, '', 'nothing reaches the terminal while the console owns it');
    const after = captureStderr(() => releaseOutput());
    assert.equal(after, 'mesh-tui: warning: unhandled rejection: socket hang up\na library complains 42\ntwo\nlines\n');
    assert.equal(isHoldingOutput(), false);
    assert.equal(console.log, log, 'console.log is itself again');
    assert.equal(
      captureStderr(() => warn('later')),
      'later\n',
    );
  });

  it('keeps at most 200 lines and says how many it dropped', () => {
    const out = captureStderr(() => {
      holdOutput();
      for (let i = 0; i < 250; i++) warn(`line ${i}`);
      releaseOutput();
    });
    const lines = out.trimEnd().split('\n');
    assert.equal(lines.length, 201);
    assert.equal(lines[199], 'line 199');
    assert.equal(lines[200], 'mesh-tui: 50 more lines of output were dropped');
  });
});
