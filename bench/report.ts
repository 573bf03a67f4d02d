// The markdown report of measured blocks: one table row per block, totals, footnotes for blocks the parallel
// executor ran sequentially or ethereumjs ran fewer times, and every problem found.
import { fmt, machineLine } from './common.js';
import type { BlockBenchResult } from './measure.js';

/** Options of {@link resultsMarkdown}. */
export interface ReportOptions {
  /** One paragraph on what was measured (printed above the table). */
  intro: string;
  /** Add the fork column and the header-check column (fixture blocks). */
  fixtures?: boolean;
}

const geomean = (xs: number[]): number => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);

/** The report of a suite run as markdown (machine line, intro, table, totals, notes, problems). */
export function resultsMarkdown(results: BlockBenchResult[], o: ReportOptions): string {
  const fx = !!o.fixtures;
  const lines = [machineLine(), '', o.intro, ''];
  const head = ['block', ...(fx ? ['fork'] : []), 'txs', 'gas used', 'seq ms', 'par ms', 'speedup', 'whole block seq / par ms (speedup)', 'ethereumjs ms', 'par vs ethereumjs',
    'tx/s seq / par / ejs', 'Mgas/s seq / par / ejs', 're-executions (min-max)', 'peak RSS MB parevm / all', 'par = seq', 'ethereumjs agrees', ...(fx ? ['header'] : [])];
  lines.push(`| ${head.join(' | ')} |`);
  lines.push(`|${head.map((h) => (h === 'block' || h === 'fork' ? '---' : h.includes('=') || h.includes('agrees') || h === 'header' ? ':---:' : '---:')).join('|')}|`);
  const notes = new Map<string, string[]>(); // note text -> blocks
  const note = (text: string, block: string): string => {
    const keys = [...notes.keys()];
    let i = keys.indexOf(text);
    if (i < 0) { notes.set(text, []); i = keys.length; }
    notes.get(text)!.push(block);
    return `<sup>${i + 1}</sup>`;
  };
  const ms = (x: number) => fmt(x, x < 10 ? 2 : 1);
  for (const r of results) {
    const empty = r.txs === 0 || !Number.isFinite(r.speedup); // no ratio means anything for an empty or unmeasured block
    const par = ms(r.parallelMs) + (r.parallelMode === 'parallel' || !Number.isFinite(r.parallelMs) ? '' : ' ' + note(`the parallel executor ran the block sequentially: ${r.fallback ?? 'no reason given'}`, r.block));
    const ejsNote = r.ethereumjsNote ? ' ' + note(`ethereumjs: ${r.ethereumjsNote}`, r.block) : '';
    const ejs = r.ethereumjsMs === null ? `-${ejsNote}` : `${ms(r.ethereumjsMs)}${ejsNote}`;
    const vs = r.parallelVsEthereumjs === null || empty ? '-' : `${r.parallelVsEthereumjs.toFixed(1)}x`;
    const agrees = r.ethereumjsAgrees === null ? '-' : r.ethereumjsAgrees ? 'yes' : `**NO** (ejs gas ${r.ethereumjsGasUsed})`;
    const hdr = Object.keys(r.headerChecks).length === 0 ? '-'
      : Object.values(r.headerChecks).every(Boolean) ? Object.keys(r.headerChecks).join(', ')
        : `**${Object.entries(r.headerChecks).filter(([, v]) => !v).map(([k]) => k).join(', ')} differ**`;
    const cells = [
      r.block, ...(fx ? [r.fork] : []), fmt(r.txs), fmt(r.gasUsed), ms(r.sequentialMs), par, empty ? '-' : `${r.speedup.toFixed(2)}x`,
      Number.isFinite(r.totalSpeedup) && !empty ? `${ms(r.sequentialTotalMs)} / ${ms(r.parallelTotalMs)} (${r.totalSpeedup.toFixed(2)}x)` : '-', ejs, vs,
      `${fmt(r.sequentialTxPerSec)} / ${fmt(r.parallelTxPerSec)} / ${r.ethereumjsTxPerSec === null ? '-' : fmt(r.ethereumjsTxPerSec)}`,
      `${fmt(r.sequentialMgasPerSec, 1)} / ${fmt(r.parallelMgasPerSec, 1)} / ${r.ethereumjsMgasPerSec === null ? '-' : fmt(r.ethereumjsMgasPerSec, 1)}`,
      Number.isFinite(r.reexecutions) ? `${fmt(r.reexecutions)} (${r.reexecutionsRange.join('-')})` : '-', `${fmt(r.peakRssParevmMB)} / ${fmt(r.peakRssMB)}`,
      r.match ? 'yes' : '**NO**', agrees, ...(fx ? [hdr] : []),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  lines.push('');
  // totals (sums of the medians) and the geometric mean of the speedups of the blocks that ran in parallel
  const measured = results.filter((r) => Number.isFinite(r.sequentialMs) && Number.isFinite(r.parallelMs));
  if (measured.length > 1) {
    const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);
    const gas = sum(measured.map((r) => r.gasUsed));
    const sMs = sum(measured.map((r) => r.sequentialMs)), pMs = sum(measured.map((r) => r.parallelMs));
    const withEjs = measured.filter((r) => r.ethereumjsMs !== null);
    let t = `${measured.length === results.length ? 'All' : `The ${results.length - measured.length} unmeasured block(s) aside, all`} ${measured.length} blocks (sums of the medians): ${fmt(gas / 1e6, 1)} Mgas, sequential ${fmt(sMs, 1)} ms (${fmt(gas / 1e3 / sMs, 1)} Mgas/s), parallel ${fmt(pMs, 1)} ms (${fmt(gas / 1e3 / pMs, 1)} Mgas/s, ${(sMs / pMs).toFixed(2)}x)`;
    if (withEjs.length) {
      const eGas = sum(withEjs.map((r) => r.gasUsed)), eMs = sum(withEjs.map((r) => r.ethereumjsMs!)), epMs = sum(withEjs.map((r) => r.parallelMs));
      t += `; ethereumjs on ${withEjs.length === measured.length ? 'all of them' : `${withEjs.length} of them`} ${fmt(eMs, 1)} ms (${fmt(eGas / 1e3 / eMs, 1)} Mgas/s), parevm parallel ${(eMs / epMs).toFixed(1)}x faster on those`;
    }
    lines.push(t + '.');
    const inPar = measured.filter((r) => r.parallelMode === 'parallel' && r.txs > 0 && r.speedup > 0);
    if (inPar.length) lines.push(`Geometric mean of the speedup over the ${inPar.length} block${inPar.length > 1 ? 's' : ''} that ran in parallel: ${geomean(inPar.map((r) => r.speedup)).toFixed(2)}x.`);
    lines.push('');
  }
  [...notes].forEach(([text, blocks], i) => lines.push(`${i + 1}. ${text} (${blocks.join(', ')})`));
  if (notes.size) lines.push('');
  const probs = results.filter((r) => r.problems.length);
  if (probs.length) {
    lines.push('**Problems:**');
    for (const r of probs) for (const p of r.problems) lines.push(`- ${r.block}: ${p}`);
    lines.push('');
  }
  return lines.join('\n').trimEnd();
}
