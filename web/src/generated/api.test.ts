import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generate, outputPath, STALE_MESSAGE } from 'roster-gen-api';

describe('src/generated/api.ts', () => {
  it('is what openapi-typescript generates from api/openapi.yaml now', async () => {
    const [committed, fresh] = await Promise.all([readFile(outputPath, 'utf8'), generate()]);
    // Not toEqual on the texts: a stale file should say what to do, not print two 5,000-line files.
    if (committed !== fresh) expect.fail(STALE_MESSAGE);
  });
});
