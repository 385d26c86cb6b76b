/** Waits `ms`, or less if `signal` aborts first (it resolves either way; callers check the signal). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  // An 'abort' listener added after the abort never fires: without this, the whole time is slept.
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
