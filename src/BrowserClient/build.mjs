// Bundles the library: dist/client.js (script tag, global MasterConnection as in Enslavism 0.9),
// dist/client.mjs (ES module) and dist/types (declarations from tsc).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';

const common = { entryPoints: ['src/index.ts'], bundle: true, target: 'es2022', sourcemap: false, minify: true, logLevel: 'warning' };

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
await build({ ...common, format: 'iife', globalName: 'Enslavism', outfile: 'dist/client.js',
  footer: { js: 'if(typeof window!=="undefined"){window.MasterConnection=Enslavism.MasterConnection;window.SlaveConnection=Enslavism.SlaveConnection;}' } });
await build({ ...common, format: 'esm', outfile: 'dist/client.mjs' });

if (process.argv.includes('--tests')) {
  rmSync('dist-test', { recursive: true, force: true });
  const tests = readdirSync('src', { recursive: true }).filter((f) => f.endsWith('.test.ts')).map((f) => `src/${f}`);
  await build({ entryPoints: tests, bundle: true, platform: 'node', format: 'esm',
    target: 'node20', outdir: 'dist-test', outExtension: { '.js': '.mjs' }, logLevel: 'warning' });
}
