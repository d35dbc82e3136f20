// TokenKeeper idle: how often it wakes and how much CPU it uses over ten minutes with its window
// open and nothing due. Counts the context switches of every thread of the app (the scheduler
// thread by name) and of the WebKit processes it started, and their CPU time, from /proc.
//
//   node bench/app/idle.mjs   (run by scripts/app-bench.sh idle, inside Xvfb and a D-Bus session)

import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MINUTES = Number(process.env.TK_IDLE_MINUTES || 10);
const app = process.env.TOKENKEEPER_APP_BIN;
const seeded = process.env.TOKENKEEPER_BENCH_DB;
if (!app || !seeded) throw new Error('TOKENKEEPER_APP_BIN and TOKENKEEPER_BENCH_DB are needed: run scripts/app-bench.sh idle');
const TICK = 100; // USER_HZ on Linux

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function children(pid) {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(d));
    } catch {}
  }
  return out;
}

/** Per thread of `pid`: name, context switches, CPU ticks. */
function threads(pid) {
  const out = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const name = /^Name:\s+(.*)$/m.exec(status)?.[1] ?? '?';
      const switches = Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1]) + Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1]);
      out.set(tid, { name, switches, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {}
  }
  return out;
}

function snapshot(pids) {
  return new Map(pids.map((p) => [p, threads(p)]));
}

const work = mkdtempSync(join(tmpdir(), 'tk-idle-'));
const db = join(work, 'vault.db');
copyFileSync(seeded, db);
// A notification server, as on a desktop: the first pass shows the grouped reminder.
const dunst = spawn('dunst', [], { stdio: 'ignore' });
dunst.on('error', () => {});
const child = spawn(app, [], { env: { ...process.env, TOKENKEEPER_DB: db }, stdio: 'ignore' });
await sleep(20000); // start, first pass, first paint, the first notification
const pids = [child.pid, ...children(child.pid)];
const names = Object.fromEntries(pids.map((p) => [p, readFileSync(`/proc/${p}/comm`, 'utf8').trim()]));
const before = snapshot(pids);
const start = Date.now();
await sleep(MINUTES * 60000);
const seconds = (Date.now() - start) / 1000;
const after = snapshot(pids);
child.kill();
dunst.kill();

let totalTicks = 0;
console.log(`idle for ${(seconds / 60).toFixed(1)} min, 10,000 credentials, window open:`);
for (const pid of pids) {
  let switches = 0;
  let ticks = 0;
  const busy = [];
  for (const [tid, a] of after.get(pid)) {
    const b = before.get(pid).get(tid) ?? { switches: 0, ticks: 0 };
    const ds = a.switches - b.switches;
    switches += ds;
    ticks += a.ticks - b.ticks;
    if (ds > 0) busy.push(`${a.name}: ${ds}`);
    if (a.name === 'scheduler') console.log(`  scheduler thread: ${ds} wake-ups (${(ds / (seconds / 60)).toFixed(2)} per minute), ${a.ticks - b.ticks} CPU ticks`);
  }
  totalTicks += ticks;
  console.log(`  ${names[pid]} (pid ${pid}): ${switches} context switches (${(switches / seconds).toFixed(2)}/s), CPU ${((ticks / TICK / seconds) * 100).toFixed(3)}%`);
  console.log(`    threads that woke: ${busy.sort().join(', ') || 'none'}`);
}
console.log(`  all processes: CPU ${((totalTicks / TICK / seconds) * 100).toFixed(3)}% of one core`);
