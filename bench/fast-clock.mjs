// Preloaded into a spawned process (`node --import`) by the benchmark's cost measurement.
//
// FAST_CLOCK_FACTOR=F makes a long wait go F times faster without changing what the action does:
// `setTimeout` delays of a second or more (the poll sleep, retry backoff) are divided by F, and
// `Date.now` runs F times faster from the moment of loading, so the action's own clock, deadline
// and log timestamps agree with the sleeps. Shorter delays are left alone: they are the HTTP
// client's own machinery (undici's 499 ms timer tick), which must keep real time.
//
// FAST_CLOCK_REPORT=<file> writes, at exit, what the process cost: peak resident memory and CPU
// from `process.resourceUsage()`, the V8 heap before and after a full garbage collection, and the
// garbage collections it made on the way.
import { writeFileSync } from 'node:fs';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const factor = Number(process.env.FAST_CLOCK_FACTOR ?? '1');
const report = process.env.FAST_CLOCK_REPORT;

if (factor > 1) {
  const realNow = Date.now;
  const origin = realNow();
  Date.now = () => Math.floor(origin + (realNow() - origin) * factor);
  const realSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout = function setTimeout(callback, delay, ...args) {
    const ms = Number(delay) || 0;
    return realSetTimeout(callback, ms >= 1000 ? ms / factor : ms, ...args);
  };
}

if (report) {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  const collections = { minor: 0, major: 0, ms: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) collections.minor++;
      else collections.major++;
      collections.ms += entry.duration;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  process.on('exit', () => {
    const { heapUsed: heapUsedBytes, heapTotal: heapTotalBytes } = process.memoryUsage();
    observer.disconnect();
    gc();
    const memory = process.memoryUsage();
    const usage = process.resourceUsage();
    writeFileSync(
      report,
      JSON.stringify({
        maxRssBytes: usage.maxRSS * 1024,
        userCpuMs: usage.userCPUTime / 1000,
        systemCpuMs: usage.systemCPUTime / 1000,
        heapUsedBytes,
        heapTotalBytes,
        heapAfterGcBytes: memory.heapUsed,
        rssAtExitBytes: memory.rss,
        peakMallocedBytes: getHeapStatistics().peak_malloced_memory,
        gcMinor: collections.minor,
        gcMajor: collections.major,
        gcMs: collections.ms,
      }),
    );
  });
}
