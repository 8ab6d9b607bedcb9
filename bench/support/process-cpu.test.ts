/**
 * CPU readings from /proc: a busy loop shows up as CPU time of this
 * process, a child is found under its parent, a gone pid reads as gone, and
 * the meter attributes a busy window to the group that was busy.
 *
 * Linux only; skips where /proc cannot be read.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { CpuMeter, childPids, machineCpuSeconds, procAvailable, processCpuSeconds } from './process-cpu.js';

const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
};

describe('process CPU from /proc', { skip: procAvailable ? false : '/proc is not readable (Linux only)' }, () => {
  it('counts this process\'s busy time', () => {
    const before = processCpuSeconds(process.pid)!;
    busy(300);
    const spent = processCpuSeconds(process.pid)! - before;
    assert.ok(spent >= 0.2 && spent < 2, `300 ms of spinning read as ${spent} s`);
  });

  it('reads a pid that does not exist as gone', () => {
    // Above the kernel's pid_max limit (2^22), so never a live process.
    assert.equal(processCpuSeconds(4_194_305), undefined);
    assert.deepEqual(childPids(4_194_305), []);
  });

  it('finds a child under its parent', async () => {
    const child = spawn('sleep', ['5'], { stdio: 'ignore' });
    try {
      await once(child, 'spawn');
      assert.ok(childPids(process.pid).includes(child.pid!), `${child.pid} among ${childPids(process.pid).join(', ')}`);
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  });

  it('reads the machine\'s busy time as part of its total', () => {
    const { busy: busySeconds, iowait, total } = machineCpuSeconds();
    assert.ok(busySeconds > 0 && iowait >= 0 && total > busySeconds + iowait - 1e-9);
  });

  it('attributes a busy window to the group that was busy, and the rest to the machine', async () => {
    const meter = new CpuMeter([{ name: 'this process', pids: () => [process.pid] }, { name: 'nobody', pids: () => [] }], 50);
    await meter.start();
    busy(400);
    const uses = await meter.stop();
    assert.deepEqual(uses.map((u) => u.name), ['this process', 'nobody', 'machine (all processes)', 'other work on the machine', 'machine idle, waiting for I/O']);
    const [mine, nobody, machine] = uses as [typeof uses[0], typeof uses[0], typeof uses[0]];
    assert.ok(mine.seconds >= 0.3, `this process used ${mine.seconds} s`);
    assert.ok(mine.cores > 0.6 && mine.cores <= 1.2, `this process used ${mine.cores} cores`);
    assert.equal(nobody.seconds, 0);
    assert.ok(machine.seconds >= mine.seconds - 0.02, 'the machine includes this process');
  });
});
