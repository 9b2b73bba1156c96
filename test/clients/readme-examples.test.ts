import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';

/** client/examples/run-examples.ts drives the others in the packed-package test; it is not one of the README's snippets. */
const SNIPPETS = readdirSync('client/examples').filter((name) => name.endsWith('.ts') && name !== 'run-examples.ts');

describe('the README client snippets', () => {
  const readme = readFileSync('README.md', 'utf8');

  it.each(SNIPPETS)('shows client/examples/%s exactly as it is tested (copy it over when this fails)', (name) => {
    const example = readFileSync(`client/examples/${name}`, 'utf8');
    expect(readme.includes(`\`\`\`ts\n${example}\`\`\``) ? 'in README.md' : example).toBe('in README.md');
  });
});
