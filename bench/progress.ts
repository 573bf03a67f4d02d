// Progress on stderr: on a terminal, one bar line redrawn in place (`[#####.....] 12/40 block 13217637 par
// run 3`) with the log lines printed above it; elsewhere (a pipe, CI, a file) only the log lines.

/** A step counter with a bar on stderr (when stderr is a TTY) and a log that does not garble it. */
export class Progress {
  private done = 0;
  private label = '';
  private readonly tty: boolean;
  private drawn = false;

  /**
   * @param total expected number of steps (may be revised with setTotal as estimates firm up)
   * @param stream where to write (stderr); the bar is drawn only when it is a TTY
   */
  constructor(private total: number, private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.tty = !!stream.isTTY && process.env.TERM !== 'dumb';
  }

  /** Revises the expected number of steps. */
  setTotal(n: number): void { this.total = Math.max(n, this.done); this.draw(); }

  /** Adds to the expected number of steps (negative to remove). */
  addTotal(n: number): void { this.setTotal(this.total + n); }

  /** Starts a step (`label` describes it, e.g. "block 13217637 par run 3"). */
  step(label: string): void {
    this.done++;
    if (this.done > this.total) this.total = this.done;
    this.label = label;
    this.draw();
  }

  /** A log line (above the bar on a terminal). */
  log(line: string): void {
    if (this.tty && this.drawn) this.stream.write('\r\x1b[2K');
    this.stream.write(line + '\n');
    this.drawn = false;
    this.draw();
  }

  /** Removes the bar. */
  end(): void {
    if (this.tty && this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }

  private draw(): void {
    if (!this.tty || this.total <= 0 || this.done === 0) return;
    const width = 20;
    const full = Math.min(width, Math.round((width * this.done) / this.total));
    const cols = this.stream.columns || 100;
    const line = `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${this.done}/${this.total} ${this.label}`;
    this.stream.write('\r\x1b[2K' + line.slice(0, cols - 1));
    this.drawn = true;
  }
}
