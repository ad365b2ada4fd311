// Bundles the library: dist/client.js (script tag, globals MasterConnection/SlaveConnection as in Enslavism 0.9, and
// Enslavism for the rest), dist/client.mjs (ES module) and dist/types (declarations from tsc).
// `--tests` also bundles src/**/*.test.ts into dist-test/ for node's test runner.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

// The script every page of a game downloads: keep it small (no runtime dependencies). Raise deliberately.
const GZIP_BUDGET_BYTES = 8 * 1024;

const common = { entryPoints: ['src/index.ts'], bundle: true, target: 'es2022', sourcemap: false, minify: true, logLevel: 'warning' };

rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
await build({ ...common, format: 'iife', globalName: 'Enslavism', outfile: 'dist/client.js',
  footer: { js: 'if(typeof window!=="undefined"){window.MasterConnection=Enslavism.MasterConnection;window.SlaveConnection=Enslavism.SlaveConnection;}' } });
await build({ ...common, format: 'esm', outfile: 'dist/client.mjs' });

const gzipped = gzipSync(readFileSync('dist/client.js')).length;
if (gzipped > GZIP_BUDGET_BYTES) {
  console.error(`dist/client.js is ${gzipped} bytes gzipped, over the budget of ${GZIP_BUDGET_BYTES}.`);
  process.exit(1);
}

if (process.argv.includes('--tests')) {
  rmSync('dist-test', { recursive: true, force: true });
  const tests = readdirSync('src', { recursive: true }).filter((f) => f.endsWith('.test.ts')).map((f) => `src/${f}`);
  await build({ entryPoints: tests, bundle: true, platform: 'node', format: 'esm',
    target: 'node20', outdir: 'dist-test', outExtension: { '.js': '.mjs' }, logLevel: 'warning' });
}
