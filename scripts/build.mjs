#!/usr/bin/env node
// One build: AssemblyScript -> build/*.wasm, TypeScript -> dist/ (esbuild) plus declaration files (tsc).
// Skips a step whose inputs are older than its outputs, so `npm test` after `npm ci` rebuilds nothing.
import { readdirSync, statSync, mkdirSync, existsSync, writeFileSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quiet = process.argv.includes('--quiet');
const force = process.argv.includes('--force');
const log = (...a) => { if (!quiet) console.error('[build]', ...a); };

function walk(dir, pred, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, pred, out);
    else if (pred(p)) out.push(p);
  }
  return out;
}
const newest = (files) => files.reduce((m, f) => Math.max(m, statSync(f).mtimeMs), 0);
const stale = (inputs, output) => force || !existsSync(output) || newest(inputs) > statSync(output).mtimeMs;

// 1. WebAssembly. The engine (assembly/index.ts) and one test module per file in assembly/tests/.
const asc = (await import('assemblyscript/asc')).default;
const asSources = walk(join(root, 'assembly'), (p) => p.endsWith('.ts'));
const asInputs = [...asSources, join(root, 'asconfig.json')];
const entries = [['assembly/index.ts', 'build/parevm.wasm', true]];
for (const f of walk(join(root, 'assembly/tests'), (p) => p.endsWith('.ts'))) {
  const rel = relative(root, f);
  entries.push([rel, 'build/tests/' + rel.slice('assembly/tests/'.length).replace(/\.ts$/, '.wasm'), false]);
}
mkdirSync(join(root, 'build/tests'), { recursive: true });
for (const [entry, out, withText] of entries) {
  if (!stale(asInputs, join(root, out))) continue;
  log('asc', entry);
  const args = [entry, '--config', 'asconfig.json', '--target', 'release', '-o', out];
  if (withText) args.push('-t', out.replace(/\.wasm$/, '.wat'));
  else args.push('-t', 'none');
  const { error, stderr } = await asc.main(args.filter((a) => a !== 'none' && !(a === '-t' && !withText)), { stdout: process.stdout, stderr: process.stderr });
  if (error) { console.error(stderr.toString()); console.error('[build] asc failed for', entry); process.exit(1); }
}

// 2. TypeScript -> dist/ (one file per source, ESM, Node 20).
const tsSources = [
  ...walk(join(root, 'src'), (p) => p.endsWith('.ts') && !p.endsWith('.d.ts')),
  ...walk(join(root, 'test'), (p) => p.endsWith('.ts')),
  ...walk(join(root, 'bench'), (p) => p.endsWith('.ts')),
];
const stamp = join(root, 'dist/.stamp');
if (stale([...tsSources, join(root, 'tsconfig.json')], stamp)) {
  log('esbuild', tsSources.length, 'files');
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: tsSources,
    outdir: join(root, 'dist'),
    outbase: root,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
  if (!process.argv.includes('--no-dts')) {
    log('tsc declarations');
    try {
      execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
    } catch { console.error('[build] tsc failed'); process.exit(1); }
  }
  writeFileSync(stamp, new Date().toISOString());
}
log('done');
