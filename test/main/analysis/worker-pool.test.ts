import { describe, expect, it } from 'vitest';
import { defaultPoolSize, WorkerPool } from '../../../src/main/analysis';
import { availableParallelism } from 'node:os';

type Req =
  | { type: 'start'; seq: number; attempt: number; job: Record<string, unknown> }
  | { type: 'release'; seq: number };
type Reply =
  | { type: 'progress'; seq: number; sum: number }
  | { type: 'done'; seq: number; sum: number; attempt: number }
  | { type: 'error'; seq: number; error: { name: string; message: string } };

const script = new URL('./fixtures/test-protocol.worker.mjs', import.meta.url);

function pool(size: number) {
  return new WorkerPool<Req, Reply>({ script, size, name: 'test' });
}

const start = (job: Record<string, unknown>) => (seq: number, attempt: number): Req => ({ type: 'start', seq, attempt, job });

describe('WorkerPool', () => {
  it('defaults to cores − 1, at least 1', () => {
    expect(defaultPoolSize()).toBe(Math.max(1, availableParallelism() - 1));
    expect(() => pool(0)).toThrow(/positive integer/);
  });

  it('runs more jobs than workers, matching replies to jobs, with progress in order', async () => {
    const p = pool(2);
    try {
      const progress = new Map<number, number[]>();
      const jobs = Array.from({ length: 7 }, (_, i) => {
        const values = Array.from({ length: i + 1 }, (_, k) => k + 1);
        const h = p.submit(start({ values }), { onMessage: (r) => r.type === 'progress' && progress.set(h.seq, [...(progress.get(h.seq) ?? []), r.sum]) });
        return { h, n: i + 1 };
      });
      const results = await Promise.all(jobs.map((j) => j.h.result));
      results.forEach((r, i) => {
        const n = jobs[i]!.n;
        expect(r).toMatchObject({ type: 'done', sum: (n * (n + 1)) / 2, attempt: 1 });
        expect(progress.get(jobs[i]!.h.seq)).toEqual(Array.from({ length: n }, (_, k) => ((k + 1) * (k + 2)) / 2));
      });
    } finally {
      await p.close();
    }
  });

  it('delivers follow-up messages sent while the job is still queued', async () => {
    const p = pool(1);
    try {
      const first = p.submit(start({ values: [1], waitForRelease: true }));
      const second = p.submit(start({ values: [2], waitForRelease: true }));
      second.send({ type: 'release', seq: second.seq }); // queued behind `first`
      first.send({ type: 'release', seq: first.seq });
      expect((await first.result).type).toBe('done');
      expect(await second.result).toMatchObject({ sum: 2 });
    } finally {
      await p.close();
    }
  });

  it('an error reply rejects the job as data, and the worker keeps serving', async () => {
    const p = pool(1);
    try {
      await expect(p.submit(start({ fail: 'x' })).result).rejects.toThrow('bad input x');
      expect(await p.submit(start({ values: [4] })).result).toMatchObject({ sum: 4 });
    } finally {
      await p.close();
    }
  });

  it.each(['exit', 'throw'])('a worker that crashes (%s) is replaced and the job retried once', async (how) => {
    const p = pool(1);
    try {
      const retries: string[] = [];
      const r = await p.submit(start({ values: [5], crash: 'first', how }), { onRetry: (why) => retries.push(why) }).result;
      expect(r).toMatchObject({ sum: 5, attempt: 2 });
      expect(retries).toHaveLength(1);
      expect(retries[0]).toMatch(how === 'exit' ? /exited with code 3/ : /boom/);
    } finally {
      await p.close();
    }
  });

  it('a job that crashes twice is reported as an error, and later jobs still run', async () => {
    const p = pool(1);
    try {
      await expect(p.submit(start({ values: [1], crash: 'always' })).result).rejects.toThrow(/test job \d+ failed twice: worker exited with code 3/);
      expect(await p.submit(start({ values: [6] })).result).toMatchObject({ sum: 6, attempt: 1 });
    } finally {
      await p.close();
    }
  });

  it('cancels queued and running jobs through their AbortSignal', async () => {
    const p = pool(1);
    try {
      const running = new AbortController();
      const queued = new AbortController();
      const a = p.submit(start({ hang: true }), {}, running.signal);
      const b = p.submit(start({ values: [1] }), {}, queued.signal);
      const c = p.submit(start({ values: [9] }));
      queued.abort();
      await expect(b.result).rejects.toMatchObject({ name: 'AbortError' });
      running.abort(); // the hanging worker is terminated and replaced
      await expect(a.result).rejects.toMatchObject({ name: 'AbortError' });
      expect(await c.result).toMatchObject({ sum: 9 });
      const pre = new AbortController();
      pre.abort();
      await expect(p.submit(start({ values: [1] }), {}, pre.signal).result).rejects.toMatchObject({ name: 'AbortError' });
    } finally {
      await p.close();
    }
  });
});
