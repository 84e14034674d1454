// The page's worker bridge over real comlink message ports: a crashed or out-of-memory worker fails only the job
// in flight, the next call starts a new worker, and the case client re-inspects its inputs in the new worker
// before answering; a hard cancel terminates the worker.
import { describe, it, expect } from 'vitest';
import * as Comlink from 'comlink';
import { WorkerHandle } from '../../web/bridge/worker-handle';
import { CaseClient } from '../../web/bridge/case-client';
import { SqlClient } from '../../web/bridge/sql-client';
import type { SpawnedWorker } from '../../workers/pool/pool';
import { isPalimpsestError } from '../../workers/engine/errors';
import { DEMO, localCaseService, localSqlService, pickedFrom, wireInputs } from './helpers';

interface Fake extends SpawnedWorker {
  die(reason: string): void;
  terminated: boolean;
}

/** A "worker": the object exposed with comlink on one end of a MessageChannel. */
function fakeSpawner<T extends object>(make: () => T) {
  const spawned: Fake[] = [];
  const spawn = (): Fake => {
    const { port1, port2 } = new MessageChannel();
    Comlink.expose(make(), port1);
    const cbs: Array<(r: string) => void> = [];
    const f: Fake = {
      endpoint: port2 as unknown as Comlink.Endpoint,
      terminated: false,
      terminate: () => {
        f.terminated = true;
        port1.close();
        port2.close();
      },
      onDeath: (cb) => cbs.push(cb),
      die: (r) => cbs.forEach((cb) => cb(r)),
    };
    spawned.push(f);
    return f;
  };
  return { spawn, spawned };
}

const never = () => new Promise<string>(() => undefined);

describe('WorkerHandle', () => {
  it('fails only the pending call when the worker dies, then starts a new worker', async () => {
    const { spawn, spawned } = fakeSpawner(() => ({ slow: never, ok: async () => 'ok' }));
    const h = new WorkerHandle<{ slow(): Promise<string>; ok(): Promise<string> }>(spawn, 'test worker');
    expect(await h.call((a) => a.ok())).toBe('ok');
    const pending = h.call((a) => a.slow());
    spawned[0].die('an uncaught error');
    const e = await pending.catch((x) => x);
    expect(isPalimpsestError(e) && e.code).toBe('worker-crashed');
    expect(e.message).toMatch(/test worker stopped: an uncaught error/);
    expect(spawned[0].terminated).toBe(true);
    expect(h.generation).toBe(1);
    expect(await h.call((a) => a.ok())).toBe('ok');
    expect(spawned.length).toBe(2);
  });

  it('names running out of memory', async () => {
    const { spawn, spawned } = fakeSpawner(() => ({ slow: never }));
    const h = new WorkerHandle<{ slow(): Promise<string> }>(spawn, 'test worker');
    const p = h.call((a) => a.slow());
    await Promise.resolve();
    spawned[0].die('Uncaught RangeError: Array buffer allocation failed');
    const e = await p.catch((x) => x);
    expect(e.code).toBe('out-of-memory');
  });

  it('restart() fails the pending calls with the given reason and terminates', async () => {
    const { spawn, spawned } = fakeSpawner(() => ({ slow: never }));
    const h = new WorkerHandle<{ slow(): Promise<string> }>(spawn, 'test worker');
    const p = h.call((a) => a.slow());
    await Promise.resolve();
    const { PalimpsestError } = await import('../../workers/engine/errors');
    h.restart(new PalimpsestError('cancelled', 'stop'));
    expect((await p.catch((x) => x)).code).toBe('cancelled');
    expect(spawned[0].terminated).toBe(true);
    expect(h.running).toBe(false);
  });
});

describe('CaseClient and SqlClient over message ports', () => {
  it('re-inspects in a new worker after a crash and answers as before', async () => {
    const { spawn, spawned } = fakeSpawner(() => localCaseService());
    const c = new CaseClient(spawn);
    const view = await c.inspect(wireInputs(pickedFrom(DEMO)), { hash: false });
    const live = view.report.files.findIndex((f) => f.path === 'mbox/db/mailbox.db-wal');
    const before = await c.pageMap(live);
    spawned[0].die('the worker was killed');
    const after = await c.pageMap(live);
    expect(spawned.length).toBe(2);
    expect(Array.from(after.status)).toEqual(Array.from(before.status));
    const r = await c.rebuild('mailbox.db', null);
    expect(r.name).toBe('mailbox.db');
  });

  it('a crash during a rebuild fails that rebuild only', async () => {
    const svc = localCaseService();
    const { spawn, spawned } = fakeSpawner(() => ({ ...svc, rebuild: () => never() }));
    const c = new CaseClient(spawn);
    await c.inspect(wireInputs(pickedFrom(DEMO)), { hash: false });
    const p = c.rebuild('mailbox.db', null);
    await new Promise((r) => setTimeout(r, 20));
    spawned[0].die('Out of memory');
    expect((await p.catch((x) => x)).code).toBe('out-of-memory');
    expect((await c.preview('mailbox.db', null)).plan.reached).toBe('5:2');
  });

  it('reopens the database in a new sql worker after a crash', async () => {
    const svc = await localSqlService();
    const make = fakeSpawner(() => svc);
    const sc = new SqlClient(make.spawn);
    const c = new CaseClient(fakeSpawner(() => localCaseService()).spawn);
    await c.inspect(wireInputs(pickedFrom(DEMO)), { hash: false });
    const out = await c.rebuild('mailbox.db', null);
    const info = await sc.open(out.blob);
    expect(info.integrity).toBe('ok');
    make.spawned[0].die('crash');
    const q = await sc.exec('SELECT count(*) FROM messages', 10);
    expect(make.spawned.length).toBe(2);
    expect(q.rows[0][0]).toBe(info.tables.find((t) => t.name === 'messages')!.rows);
  });
});
