import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';

describe('npm start on a built checkout', () => {
  it('finds both builds up to date, so it runs neither tsc nor esbuild', () => {
    // `npm test` has just built; nothing the build reads has changed since.
    const output = execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: process.cwd(), encoding: 'utf8' });
    expect(output).toContain('server (tsc): up to date');
    expect(output).toContain('web bundles (esbuild): up to date');
    expect(output).not.toContain('built');
  });
});
