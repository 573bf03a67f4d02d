// A self-contained SVG chart of a benchmark run (no dependencies; open the file in a browser): per block, the
// parallel speedup as a bar (a dashed line at 1x), and the throughput in Mgas/s of each mode as grouped bars (on
// a logarithmic axis when the modes differ by more than 20x, as parevm and ethereumjs do).

/** One block of the chart. */
export interface ChartRow {
  block: string;
  /** Sequential time / parallel time. */
  speedup: number;
  /** False when the parallel executor ran the block sequentially (its bar is grey). */
  parallel: boolean;
  seqMgas: number;
  parMgas: number;
  /** null when ethereumjs did not run. */
  ejsMgas: number | null;
}

/** Chart options. */
export interface ChartOptions {
  title: string;
  /** Second line under the title (machine, date). */
  subtitle?: string;
  workers: number;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
/** Axis tick labels: integers plain, fractions with two significant digits. */
const tick = (x: number): string => (Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(2))));
const COLORS = { seq: '#4e79a7', par: '#59a14f', ejs: '#f28e2b', slow: '#e15759', grey: '#9d9d9d', axis: '#555', grid: '#ddd' };

/** The chart as SVG text. */
export function benchChartSvg(rows: ChartRow[], o: ChartOptions): string {
  const W = 980, left = 190, right = 70, plotW = W - left - right;
  const font = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';
  const out: string[] = [];
  let y = 0;
  const text = (x: number, yy: number, s: string, extra = '') => out.push(`<text x="${x.toFixed(1)}" y="${yy.toFixed(1)}" ${extra}>${esc(s)}</text>`);
  const label = (s: string) => (s.length > 26 ? s.slice(0, 25) + '…' : s);

  // title
  y += 26; text(W / 2, y, o.title, 'text-anchor="middle" font-size="17" font-weight="600"');
  if (o.subtitle) { y += 18; text(W / 2, y, o.subtitle, 'text-anchor="middle" font-size="11" fill="#555"'); }
  y += 16;

  // panel 1: speedup
  y += 20; text(left, y, `Parallel speedup (${o.workers} workers vs 1): sequential time / parallel time, execution only`, 'font-size="13" font-weight="600"');
  y += 12;
  const maxS = Math.max(1.25, ...rows.map((r) => (Number.isFinite(r.speedup) ? r.speedup : 0))) * 1.08;
  const sx = (v: number) => left + (plotW * v) / maxS;
  const rowH = 22, top1 = y, h1 = rows.length * rowH;
  for (const t of ticksLinear(maxS)) {
    out.push(`<line x1="${sx(t)}" y1="${top1}" x2="${sx(t)}" y2="${top1 + h1}" stroke="${COLORS.grid}"/>`);
    text(sx(t), top1 + h1 + 13, `${t}x`, 'text-anchor="middle" font-size="10" fill="#555"');
  }
  rows.forEach((r, i) => {
    const yy = top1 + i * rowH;
    const v = Number.isFinite(r.speedup) ? r.speedup : 0;
    const color = !r.parallel ? COLORS.grey : v >= 1 ? COLORS.par : COLORS.slow;
    text(left - 8, yy + rowH / 2 + 4, label(r.block), 'text-anchor="end" font-size="11"');
    out.push(`<rect x="${left}" y="${yy + 4}" width="${Math.max(0, sx(v) - left).toFixed(1)}" height="${rowH - 8}" fill="${color}"><title>${esc(`${r.block}: ${v.toFixed(2)}x${r.parallel ? '' : ' (ran sequentially)'}`)}</title></rect>`);
    text(sx(v) + 4, yy + rowH / 2 + 4, `${v.toFixed(2)}x${r.parallel ? '' : ' (sequential)'}`, 'font-size="10" fill="#333"');
  });
  out.push(`<line x1="${sx(1)}" y1="${top1 - 4}" x2="${sx(1)}" y2="${top1 + h1 + 2}" stroke="#000" stroke-dasharray="4 3"/>`);
  out.push(`<line x1="${left}" y1="${top1}" x2="${left}" y2="${top1 + h1}" stroke="${COLORS.axis}"/>`);
  y = top1 + h1 + 30;

  // panel 2: Mgas/s per mode
  const vals = rows.flatMap((r) => [r.seqMgas, r.parMgas, ...(r.ejsMgas === null ? [] : [r.ejsMgas])]).filter((v) => v > 0 && Number.isFinite(v));
  const vmax = Math.max(1, ...vals), vmin = Math.min(vmax, ...vals);
  const log = vmax / vmin > 20;
  const lo = log ? nice(vmin, 'down') : 0, hi = log ? nice(vmax * 1.15, 'up') : vmax * 1.1;
  const mx = (v: number) => left + (log ? (plotW * Math.log10(Math.max(v, lo) / lo)) / Math.log10(hi / lo) : (plotW * v) / hi);
  y += 8; text(left, y, `Throughput, Mgas/s (median of the measured runs${log ? ', logarithmic axis' : ''})`, 'font-size="13" font-weight="600"');
  // legend
  const hasEjs = rows.some((r) => r.ejsMgas !== null);
  const legend: [string, string][] = [[COLORS.seq, 'parevm sequential'], [COLORS.par, `parevm parallel (${o.workers} workers)`], ...(hasEjs ? [[COLORS.ejs, '@ethereumjs/vm'] as [string, string]] : [])];
  let lx = left;
  y += 16;
  for (const [c, s] of legend) { out.push(`<rect x="${lx}" y="${y - 9}" width="10" height="10" fill="${c}"/>`); text(lx + 14, y, s, 'font-size="11"'); lx += 24 + s.length * 6.2; }
  y += 8;
  const bars = hasEjs ? 3 : 2, barH = 8, groupH = bars * barH + 12, top2 = y, h2 = rows.length * groupH;
  for (const t of log ? ticksLog(lo, hi) : ticksLinear(hi)) {
    out.push(`<line x1="${mx(t)}" y1="${top2}" x2="${mx(t)}" y2="${top2 + h2}" stroke="${COLORS.grid}"/>`);
    text(mx(t), top2 + h2 + 13, tick(t), 'text-anchor="middle" font-size="10" fill="#555"');
  }
  rows.forEach((r, i) => {
    const yy = top2 + i * groupH + 6;
    text(left - 8, yy + (bars * barH) / 2 + 4, label(r.block), 'text-anchor="end" font-size="11"');
    const series: [number | null, string, string][] = [[r.seqMgas, COLORS.seq, 'sequential'], [r.parMgas, COLORS.par, 'parallel'], ...(hasEjs ? [[r.ejsMgas, COLORS.ejs, 'ethereumjs'] as [number | null, string, string]] : [])];
    series.forEach(([v, c, name], k) => {
      const by = yy + k * barH;
      if (v === null || !(v > 0)) { text(left + 4, by + barH - 1, `${name}: not run`, 'font-size="8" fill="#777"'); return; }
      out.push(`<rect x="${left}" y="${by}" width="${Math.max(1, mx(v) - left).toFixed(1)}" height="${barH - 1}" fill="${c}"><title>${esc(`${r.block} ${name}: ${num(v)} Mgas/s`)}</title></rect>`);
      text(mx(v) + 3, by + barH - 1, num(v), 'font-size="8" fill="#333"');
    });
  });
  out.push(`<line x1="${left}" y1="${top2}" x2="${left}" y2="${top2 + h2}" stroke="${COLORS.axis}"/>`);
  y = top2 + h2 + 28;

  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${y}" viewBox="0 0 ${W} ${y}" ${font}>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...out,
    '</svg>',
    '',
  ].join('\n');
}

/** 4-8 round ticks from 0 to max. */
function ticksLinear(max: number): number[] {
  const raw = max / 6;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => max / s <= 8) ?? 10 * p;
  const out: number[] = [];
  for (let t = 0; t <= max + 1e-9; t += step) out.push(Number(t.toPrecision(6)));
  return out;
}

/** The nearest 1, 2 or 5 x 10^k below (down) or above (up) x. */
function nice(x: number, dir: 'up' | 'down'): number {
  const p = 10 ** Math.floor(Math.log10(x));
  const steps = [1, 2, 5, 10].map((m) => m * p);
  return dir === 'down' ? steps.filter((s) => s <= x * 1.0001).pop()! : steps.find((s) => s >= x * 0.9999)!;
}

/** Ticks between lo and hi: 1, 2, 5 x powers of ten over up to 4 decades, powers of ten only beyond. */
function ticksLog(lo: number, hi: number): number[] {
  const mults = Math.log10(hi / lo) > 4 ? [1] : [1, 2, 5];
  const out: number[] = [];
  for (let p = 10 ** Math.floor(Math.log10(lo)); p <= hi * 1.0001; p *= 10) {
    for (const m of mults) { const t = Number((p * m).toPrecision(6)); if (t >= lo * 0.9999 && t <= hi * 1.0001) out.push(t); }
  }
  return out;
}
