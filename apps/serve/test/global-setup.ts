/** Builds the test model once per run, before the test files start (they share its cache). */
import { mnistModelFile } from './fixtures.js';

export async function setup(): Promise<void> {
  await mnistModelFile();
}
