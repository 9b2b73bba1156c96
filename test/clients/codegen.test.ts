import { describe, expect, it } from '@jest/globals';
import { generate } from '@graphql-codegen/cli';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import config from '../../codegen.js';

describe('client/generated', () => {
  it('is exactly what `npm run codegen` makes from schema.graphql and client/operations (run it and commit when this fails)', async () => {
    const outputs: Array<{ filename: string; content: string }> = await generate({ ...config, cwd: process.cwd(), silent: true }, false);
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      const committed = await readFile(output.filename, 'utf8');
      expect({ file: output.filename, content: committed }).toEqual({ file: output.filename, content: output.content });
    }
    const generatedFiles = (await readdir('client/generated')).map((name) => path.resolve('client/generated', name)).sort();
    expect(generatedFiles).toEqual(outputs.map((output) => path.resolve(output.filename)).sort());
  });
});
