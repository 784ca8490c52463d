/**
 * Preloaded into the bundled action by end-to-end tests (`NODE_OPTIONS=--import` this file, which
 * Node 24 runs with its type stripping): moves the action's clock by `BACKAGE_TEST_CLOCK_SHIFT_MS`,
 * so two runs a minute apart can be two runs on different days (SPEC 13.1) without a test hook in
 * the action itself. Erasable TypeScript only (no enums, no parameter properties).
 */
const shift = Number(process.env.BACKAGE_TEST_CLOCK_SHIFT_MS ?? '0')

if (Number.isFinite(shift) && shift !== 0) {
  const RealDate = Date
  class ShiftedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + shift)
      else super(...(args as [string | number]))
    }

    static override now(): number {
      return RealDate.now() + shift
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor
}

export {}
