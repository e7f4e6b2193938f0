// A tiny terminal: a grid of rows × columns that applies the control sequences Ink 8 writes
// (cursor moves, erases, the alternate screen, line feeds that scroll) and ignores colours. In
// incremental mode Ink writes cursor moves and the changed tail of lines, so the only honest way
// to know what the user sees is to replay the bytes onto a screen. Everything not listed here
// (SGR, synchronized-update markers, cursor visibility, kitty queries, OSC) changes nothing on
// screen and is skipped. Cells hold one code point each: wide characters are rare in our frames.

const ESC = '\x1b';

interface Grid {
  cells: string[][];
  row: number;
  column: number;
  /** xterm's deferred wrap: a glyph written in the last column wraps only when the next one comes. */
  wrapPending: boolean;
}

export interface ScreenStats {
  /** Times the whole screen was erased from its top-left corner (Ink's full-clear fallback). */
  fullClears: number;
  /** Line feeds that scrolled the screen (a frame taller than the terminal scrolls). */
  scrolls: number;
}

export class ScreenEmulator {
  #columns: number;
  #rows: number;
  #primary: Grid;
  #alternate: Grid | undefined;
  #savedCursor: { row: number; column: number } | undefined;
  /** An escape sequence cut between two writes waits here for its end. */
  #pending = '';
  readonly stats: ScreenStats = { fullClears: 0, scrolls: 0 };

  constructor(columns: number, rows: number) {
    this.#columns = columns;
    this.#rows = rows;
    this.#primary = this.#blankGrid();
  }

  get columns(): number {
    return this.#columns;
  }

  get rows(): number {
    return this.#rows;
  }

  get inAlternateScreen(): boolean {
    return this.#alternate !== undefined;
  }

  get cursor(): { row: number; column: number } {
    return { row: this.#grid.row, column: this.#grid.column };
  }

  /** The visible screen as text: one line per row, trailing spaces and trailing blank rows removed. */
  text(): string {
    const lines = this.#grid.cells.map((cells) => cells.join('').trimEnd());
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    return lines.join('\n');
  }

  /** The visible screen as exactly `rows` lines of at most `columns` characters (trailing spaces removed). */
  lines(): string[] {
    return this.#grid.cells.map((cells) => cells.join('').trimEnd());
  }

  resize(columns: number, rows: number): void {
    for (const grid of [this.#primary, this.#alternate]) {
      if (!grid) continue;
      grid.cells = Array.from({ length: rows }, (_, r) => Array.from({ length: columns }, (_, c) => grid.cells[r]?.[c] ?? ' '));
      grid.row = Math.min(grid.row, rows - 1);
      grid.column = Math.min(grid.column, columns - 1);
      grid.wrapPending = false;
    }
    this.#columns = columns;
    this.#rows = rows;
  }

  write(data: string): void {
    const input = this.#pending + data;
    this.#pending = '';
    let i = 0;
    while (i < input.length) {
      const char = input[i] as string;
      if (char === ESC) {
        const consumed = this.#escape(input, i);
        if (consumed === 0) {
          this.#pending = input.slice(i);
          return;
        }
        i += consumed;
        continue;
      }
      const codePoint = input.codePointAt(i) as number;
      const glyph = String.fromCodePoint(codePoint);
      i += glyph.length;
      if (!this.#control(glyph)) this.#print(glyph);
    }
  }

  get #grid(): Grid {
    return this.#alternate ?? this.#primary;
  }

  #blankGrid(): Grid {
    return { cells: Array.from({ length: this.#rows }, () => this.#blankRow()), row: 0, column: 0, wrapPending: false };
  }

  #blankRow(): string[] {
    return Array.from({ length: this.#columns }, () => ' ');
  }

  /** Handles C0 controls; returns false for a printable glyph. */
  #control(glyph: string): boolean {
    const grid = this.#grid;
    switch (glyph) {
      case '\n':
        // The tty's ONLCR (left on by raw mode) turns LF into CR LF.
        grid.column = 0;
        this.#lineFeed();
        return true;
      case '\r':
        grid.column = 0;
        grid.wrapPending = false;
        return true;
      case '\b':
        grid.column = Math.max(0, grid.column - 1);
        grid.wrapPending = false;
        return true;
      case '\t':
        grid.column = Math.min(this.#columns - 1, (Math.floor(grid.column / 8) + 1) * 8);
        return true;
      default:
        return (glyph.codePointAt(0) as number) < 0x20 || glyph === '\x7f';
    }
  }

  #print(glyph: string): void {
    const grid = this.#grid;
    if (grid.wrapPending) {
      grid.column = 0;
      this.#lineFeed();
    }
    (grid.cells[grid.row] as string[])[grid.column] = glyph;
    if (grid.column === this.#columns - 1) grid.wrapPending = true;
    else grid.column += 1;
  }

  #lineFeed(): void {
    const grid = this.#grid;
    grid.wrapPending = false;
    if (grid.row < this.#rows - 1) {
      grid.row += 1;
      return;
    }
    grid.cells.shift();
    grid.cells.push(this.#blankRow());
    this.stats.scrolls += 1;
  }

  /** Applies the escape sequence at `start`; returns how many characters it took, 0 when it is incomplete. */
  #escape(input: string, start: number): number {
    const next = input[start + 1];
    if (next === undefined) return 0;
    if (next === '[') {
      // CSI: parameter bytes 0x30–0x3F, intermediates 0x20–0x2F, one final byte 0x40–0x7E.
      let end = start + 2;
      while (end < input.length && /[\x30-\x3f\x20-\x2f]/.test(input[end] as string)) end += 1;
      if (end >= input.length) return 0;
      this.#csi(input.slice(start + 2, end), input[end] as string);
      return end - start + 1;
    }
    if (next === ']' || next === 'P' || next === '_' || next === '^') {
      // OSC / DCS / APC / PM: skipped up to BEL or ST.
      for (let end = start + 2; end < input.length; end += 1) {
        if (input[end] === '\x07') return end - start + 1;
        if (input[end] === ESC && input[end + 1] === '\\') return end - start + 2;
      }
      return 0;
    }
    if (next === '7') this.#savedCursor = { ...this.cursor };
    if (next === '8' && this.#savedCursor) this.#moveTo(this.#savedCursor.row, this.#savedCursor.column);
    return 2;
  }

  #csi(parameters: string, final: string): void {
    const grid = this.#grid;
    const isPrivate = parameters.startsWith('?');
    if (isPrivate || parameters.startsWith('>') || parameters.startsWith('<') || parameters.startsWith('=')) {
      if (isPrivate && (final === 'h' || final === 'l')) this.#privateMode(parameters.slice(1), final === 'h');
      return;
    }
    const numbers = parameters === '' ? [] : parameters.split(';').map((p) => (p === '' ? NaN : Number(p)));
    const n = (index: number, fallback: number): number => {
      const value = numbers[index];
      return value === undefined || Number.isNaN(value) || value === 0 ? fallback : value;
    };
    switch (final) {
      case 'A':
        return this.#moveTo(grid.row - n(0, 1), grid.column);
      case 'B':
        return this.#moveTo(grid.row + n(0, 1), grid.column);
      case 'C':
        return this.#moveTo(grid.row, grid.column + n(0, 1));
      case 'D':
        return this.#moveTo(grid.row, grid.column - n(0, 1));
      case 'E':
        return this.#moveTo(grid.row + n(0, 1), 0);
      case 'F':
        return this.#moveTo(grid.row - n(0, 1), 0);
      case 'G':
        return this.#moveTo(grid.row, n(0, 1) - 1);
      case 'H':
      case 'f':
        return this.#moveTo(n(0, 1) - 1, n(1, 1) - 1);
      case 'J':
        return this.#eraseDisplay(numbers[0] ?? 0);
      case 'K':
        return this.#eraseLine(numbers[0] ?? 0);
      case 's':
        this.#savedCursor = { ...this.cursor };
        return;
      case 'u':
        if (this.#savedCursor) this.#moveTo(this.#savedCursor.row, this.#savedCursor.column);
        return;
      default:
        // SGR (m) and everything else leave the screen as it is.
        return;
    }
  }

  #moveTo(row: number, column: number): void {
    const grid = this.#grid;
    grid.row = Math.max(0, Math.min(this.#rows - 1, row));
    grid.column = Math.max(0, Math.min(this.#columns - 1, column));
    grid.wrapPending = false;
  }

  #eraseDisplay(mode: number): void {
    const grid = this.#grid;
    if (mode === 0) {
      if (grid.row === 0 && grid.column === 0) this.stats.fullClears += 1;
      this.#eraseLine(0);
      for (let r = grid.row + 1; r < this.#rows; r += 1) grid.cells[r] = this.#blankRow();
    } else if (mode === 1) {
      this.#eraseLine(1);
      for (let r = 0; r < grid.row; r += 1) grid.cells[r] = this.#blankRow();
    } else {
      this.stats.fullClears += 1;
      grid.cells = Array.from({ length: this.#rows }, () => this.#blankRow());
    }
  }

  #eraseLine(mode: number): void {
    const grid = this.#grid;
    const cells = grid.cells[grid.row] as string[];
    const [from, to] = mode === 0 ? [grid.column, this.#columns] : mode === 1 ? [0, grid.column + 1] : [0, this.#columns];
    for (let c = from; c < to; c += 1) cells[c] = ' ';
    grid.wrapPending = false;
  }

  #privateMode(parameters: string, enable: boolean): void {
    for (const mode of parameters.split(';')) {
      if (mode !== '1049' && mode !== '1047' && mode !== '47') continue;
      if (enable && !this.#alternate) {
        // 1049 also saves the cursor; the alternate buffer starts blank with the cursor where it was.
        this.#savedCursor = { ...this.cursor };
        this.#alternate = { ...this.#blankGrid(), row: this.#primary.row, column: this.#primary.column };
      } else if (!enable && this.#alternate) {
        this.#alternate = undefined;
        if (mode === '1049' && this.#savedCursor) this.#moveTo(this.#savedCursor.row, this.#savedCursor.column);
      }
    }
  }
}
