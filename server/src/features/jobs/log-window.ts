import { constants } from 'node:buffer';

/** The memory counted per line beyond its bytes (its place in the offset arrays), so empty lines are bounded too. */
export const LINE_OVERHEAD_BYTES = 16;

/** The ring starts this small and doubles as lines arrive, up to what its limits need. */
const FIRST_CAPACITY = 64 * 1024;

/**
 * The latest lines of a log, as UTF-8 bytes in one ring buffer (so many lines, so many bytes, whichever
 * is reached first; the newest line always stays).
 *
 * Why bytes in one buffer rather than an array of strings: a followed log passes through at the speed
 * Ray sends it, and lines kept as strings live just long enough to survive V8's young-generation
 * collections and be moved to the old generation, which is only collected when it has grown by tens of
 * MiB: following a 1 GiB log grew the console by 75-126 MiB for a window of 4 MiB (docs/benchmarks.md).
 * Copied into a buffer allocated once, the kept lines are no garbage at all, the strings they came from
 * die young, and what the window holds is counted exactly.
 *
 * Lines are numbered from the start of the log: `base` is the first line still held.
 */
export class LogWindow {
  private ring: Buffer = Buffer.alloc(0);
  /** Start offset and byte length in `ring` of lines `base`.. (`starts[first..]`, compacted now and then). */
  private starts: number[] = [];
  private lengths: number[] = [];
  private first = 0;
  /** Where the next line is written in `ring`. */
  private writeAt = 0;
  /** Bytes of the lines held plus {@link LINE_OVERHEAD_BYTES} each. */
  private cost = 0;
  /** Lines dropped from the front. */
  base = 0;
  /** The ring never grows beyond this: the byte limit, plus room for the longest line to wrap around. */
  private readonly maxCapacity: number;

  /**
   * @param maxLineBytes the longest line in UTF-8 bytes (a cut piece); always kept, whatever `maxBytes`.
   */
  constructor(
    private readonly maxLines: number,
    private readonly maxBytes: number,
    maxLineBytes: number,
  ) {
    this.maxCapacity = Math.min(constants.MAX_LENGTH, maxBytes + 2 * maxLineBytes);
  }

  /** Lines held. */
  get size(): number {
    return this.starts.length - this.first;
  }

  /** Lines of the log seen so far (dropped or held). */
  get total(): number {
    return this.base + this.size;
  }

  /** Bytes the ring buffer takes: what the window holds in memory, whatever its lines. */
  get capacity(): number {
    return this.ring.length;
  }

  push(line: string): void {
    const length = Buffer.byteLength(line, 'utf8');
    this.cost += length + LINE_OVERHEAD_BYTES;
    while (this.size > 0 && (this.size + 1 > this.maxLines || this.cost > this.maxBytes)) this.dropOldest();
    const at = this.placeFor(length);
    this.ring.write(line, at, length, 'utf8');
    this.starts.push(at);
    this.lengths.push(length);
    this.writeAt = at + length;
    this.compact();
  }

  /** The byte length of line `n` of the log (held). */
  lengthOf(n: number): number {
    return this.lengths[this.first + n - this.base]!;
  }

  /** Line `n` of the log (held), as a new string. */
  lineAt(n: number): string {
    const i = this.first + n - this.base;
    const start = this.starts[i]!;
    return this.ring.toString('utf8', start, start + this.lengths[i]!);
  }

  /** Where a line of `length` bytes can be written, dropping the oldest lines (or growing) to make room. */
  private placeFor(length: number): number {
    for (;;) {
      if (this.size === 0) {
        if (this.ring.length < length) this.grow(length);
        return 0;
      }
      const oldest = this.starts[this.first]!;
      const newest = this.starts[this.starts.length - 1]!;
      if (newest >= oldest) {
        // Held lines are one run [oldest, writeAt): room after it, or before it once the writer wraps.
        if (this.ring.length - this.writeAt >= length) return this.writeAt;
        if (oldest >= length) return 0;
      } else if (oldest - this.writeAt >= length) {
        // Wrapped: room between the newest line's end and the oldest line.
        return this.writeAt;
      }
      if (this.ring.length < this.maxCapacity) this.grow(length);
      else this.dropOldest();
    }
  }

  /** Moves the held lines, oldest first, to the start of a ring twice as large (at least `length` more). */
  private grow(length: number): void {
    let capacity = Math.max(FIRST_CAPACITY, this.ring.length * 2);
    const needed = this.heldBytes() + length;
    while (capacity < needed) capacity *= 2;
    const ring = Buffer.allocUnsafe(Math.max(needed, Math.min(this.maxCapacity, capacity)));
    let at = 0;
    for (let i = this.first; i < this.starts.length; i++) {
      const start = this.starts[i]!;
      this.ring.copy(ring, at, start, start + this.lengths[i]!);
      this.starts[i] = at;
      at += this.lengths[i]!;
    }
    this.ring = ring;
    this.writeAt = at;
  }

  private heldBytes(): number {
    let bytes = 0;
    for (let i = this.first; i < this.lengths.length; i++) bytes += this.lengths[i]!;
    return bytes;
  }

  private dropOldest(): void {
    this.cost -= this.lengths[this.first]! + LINE_OVERHEAD_BYTES;
    this.first += 1;
    this.base += 1;
    if (this.size === 0) this.writeAt = 0;
  }

  /** Drops the offsets of dropped lines now and then, so dropping a line costs O(1) on average. */
  private compact(): void {
    if (this.first > 1024 && this.first * 2 > this.starts.length) {
      this.starts = this.starts.slice(this.first);
      this.lengths = this.lengths.slice(this.first);
      this.first = 0;
    }
  }
}
