// The engine's hot path allocates nothing: the module is compiled with the stub runtime and must not
// contain (or call) any managed-allocator function, must not grow memory itself, and must need nothing from
// the host beyond the shared memory and the host_* precompile functions. Checked on build/parevm.wat, the
// text the build writes next to build/parevm.wasm (with function names, which the release binary lacks).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompileHostImports } from '../src/precompiles/host.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const watPath = join(root, 'build/parevm.wat');
const wasmPath = join(root, 'build/parevm.wasm');
const wasmBytes = readFileSync(wasmPath);
const mod = new WebAssembly.Module(wasmBytes);
const buildWat = existsSync(watPath) ? readFileSync(watPath, 'utf8') : '';

/** `(import "mod" "name" (kind ...))` lines of a module's text. */
function watImports(wat: string): { module: string; name: string; kind: string; line: string }[] {
  const out = [];
  for (const m of wat.matchAll(/^\s*\(import "([^"]*)" "([^"]*)" \((\w+)[^\n]*$/gm)) {
    out.push({ module: m[1], name: m[2], kind: m[3], line: m[0].trim() });
  }
  return out;
}
function watExports(wat: string): string[] {
  return [...wat.matchAll(/^\s*\(export "([^"]*)"/gm)].map((m) => m[1]);
}

/** build/parevm.wat describes build/parevm.wasm: same exports and the same imports. */
function isEngineText(wat: string): boolean {
  const exp = watExports(wat).sort();
  const want = WebAssembly.Module.exports(mod).map((e) => e.name).sort();
  const imp = watImports(wat).map((i) => `${i.module}.${i.name}`).sort();
  const wantImp = WebAssembly.Module.imports(mod).map((i) => `${i.module}.${i.name}`).sort();
  return JSON.stringify(exp) === JSON.stringify(want) && JSON.stringify(imp) === JSON.stringify(wantImp);
}

// If build/parevm.wat is not the engine's text (see the first test), compile the engine's text here so the
// allocation checks below still look at the right module (and check that it is byte-identical to the
// build/parevm.wasm the Engine loads).
let engineWat = buildWat;
let regenerated = false;
if (!isEngineText(buildWat)) {
  const asc = (await import('assemblyscript/asc')).default;
  const dir = mkdtempSync(join(tmpdir(), 'parevm-wat-'));
  try {
    const out = join(dir, 'parevm.wasm');
    const txt = join(dir, 'parevm.wat');
    const { error, stderr } = await asc.main(
      ['assembly/index.ts', '--config', 'asconfig.json', '--target', 'release', '-o', out, '-t', txt],
      { stdout: { write() { return true; } } as any, stderr: { write() { return true; } } as any },
    );
    if (error) throw new Error(`asc failed: ${String(stderr)}`);
    if (!Buffer.from(readFileSync(out)).equals(wasmBytes)) {
      throw new Error('build/parevm.wasm is stale (differs from assembly/ compiled now): run node scripts/build.mjs');
    }
    engineWat = readFileSync(txt, 'utf8');
    regenerated = true;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Function names defined in the text and the names every `call` targets. */
const defined = [...engineWat.matchAll(/^\s*\(func \$(\S+)/gm)].map((m) => m[1]);
const called = new Set([...engineWat.matchAll(/\bcall \$([^\s)]+)/g)].map((m) => m[1]));
const referenced = new Set([...engineWat.matchAll(/\$(~lib\/[^\s)]+)/g)].map((m) => m[1]));

// Names of the managed runtime (incremental/minimal/stub GC and allocator) and of managed std-lib objects.
const FORBIDDEN = [
  /__alloc\b/, /__realloc\b/, /__free\b/, /__new\b/, /__renew\b/, /__newBuffer/, /__newArray/, /__link\b/,
  /__visit/, /__pin\b/, /__unpin\b/, /__collect\b/, /__tostack/, /~lib\/rt\//, /~lib\/staticarray/, /~lib\/array\//,
  /~lib\/arraybuffer\//, /~lib\/string\//, /~lib\/typedarray\//, /~lib\/map\//, /~lib\/set\//, /~lib\/builtins\/abort/,
];
const forbidden = (name: string) => FORBIDDEN.some((re) => re.test(name));

test('build/parevm.wat is the text of build/parevm.wasm (the engine, not a test module)', () => {
  assert.ok(buildWat.length > 0, 'build/parevm.wat exists');
  assert.ok(
    isEngineText(buildWat),
    'build/parevm.wat does not match build/parevm.wasm (exports/imports differ): it was overwritten by another ' +
      `module (its exports: ${watExports(buildWat).slice(0, 6).join(', ')}...). ` +
      'asconfig.json\'s release target sets "textFile": "build/parevm.wat" and scripts/build.mjs builds the ' +
      'assembly/tests/* modules with that target without -t, so the last test module built wins.',
  );
});

test('the checked text is the engine module', () => {
  if (regenerated) console.warn('  (no-alloc: build/parevm.wat is not the engine text; checked a fresh asc compile of assembly/index.ts instead)');
  assert.ok(watExports(engineWat).includes('executeTx'), 'exports executeTx');
  assert.ok(defined.length > 20, `defines functions (${defined.length})`);
  assert.ok(defined.some((n) => n.startsWith('assembly/tx/')), 'names are present (text carries the name section)');
});

test('no managed allocator or runtime function is defined or called', () => {
  const bad = [...defined.filter(forbidden), ...[...called].filter(forbidden)];
  assert.equal([...new Set(bad)], [], `allocator/runtime functions: ${bad.join(', ')}`);
  const rt = [...referenced].filter((n) => /^~lib\/rt\//.test(n));
  assert.equal(rt, [], 'no ~lib/rt/ globals or functions (stub runtime offset, GC state)');
});

test('the module never grows memory (no allocator can be hiding inlined)', () => {
  // The stub runtime's allocator grows memory when its bump pointer passes the end; the engine's regions are
  // all sized by the host, so memory.grow must not appear at all.
  assert.not.ok(/\bmemory\.grow\b/.test(engineWat), 'memory.grow in the engine');
});

test('imports are exactly env.memory plus host_* precompile functions', () => {
  const host = precompileHostImports(new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }));
  for (const imports of [
    watImports(engineWat).map((i) => ({ module: i.module, name: i.name, kind: i.kind === 'func' ? 'function' : i.kind })),
    WebAssembly.Module.imports(mod),
  ]) {
    const mems = imports.filter((i) => i.kind === 'memory');
    assert.equal(mems.map((i) => `${i.module}.${i.name}`), ['env.memory'], 'one memory import, env.memory');
    const fns = imports.filter((i) => i.kind === 'function');
    assert.is(fns.length + mems.length, imports.length, 'only functions and the memory are imported (no tables/globals)');
    for (const f of fns) {
      assert.is(f.module, 'env', `${f.name} from env`);
      assert.ok(/^host_/.test(f.name), `function import ${f.name} is a host_* precompile`);
      assert.type(host[f.name], 'function', `${f.name} is provided by precompileHostImports`);
      assert.not.ok(/abort|throw|trace|seed|console|log/i.test(f.name), `${f.name} is not a runtime import`);
    }
    assert.ok(fns.length >= 1, 'the host precompile functions are imported');
  }
  assert.not.ok(/\(import "env" "abort"/.test(engineWat), 'no abort import');
  assert.not.ok(/^\s*(throw|rethrow|try)\b/m.test(engineWat), 'no exception-handling instructions');
});

test('the memory import is shared', () => {
  const mem = watImports(engineWat).find((i) => i.kind === 'memory');
  assert.ok(mem, 'memory import present');
  assert.ok(/\bshared\)/.test(mem!.line), `shared memory: ${mem!.line}`);
  // and the binary agrees: it cannot be instantiated over a non-shared memory ...
  const host = (m: WebAssembly.Memory) => precompileHostImports(m);
  const plain = new WebAssembly.Memory({ initial: 16, maximum: 65536 });
  assert.throws(() => new WebAssembly.Instance(mod, { env: { memory: plain, ...host(plain) } }), 'non-shared memory rejected');
  // ... and needs nothing but the shared memory and the host_* functions (no abort).
  const shared = new WebAssembly.Memory({ initial: 16, maximum: 65536, shared: true });
  const inst = new WebAssembly.Instance(mod, { env: { memory: shared, ...host(shared) } });
  assert.type(inst.exports.executeTx, 'function');
});

test.run();
