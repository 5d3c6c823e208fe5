/**
 * Stand-in for k6/timers: the global timers, looked up at each call so that vitest's fake timers (installed after
 * the scripts were loaded) drive them.
 */
export const setTimeout = (fn: () => void, ms?: number) => globalThis.setTimeout(fn, ms);
export const clearTimeout = (id: ReturnType<typeof globalThis.setTimeout> | undefined) => globalThis.clearTimeout(id);
export const setInterval = (fn: () => void, ms?: number) => globalThis.setInterval(fn, ms);
export const clearInterval = (id: ReturnType<typeof globalThis.setInterval> | undefined) => globalThis.clearInterval(id);
