// Logging from another process, as a training script in another language would: `bin/panoptim log` (LogCommand)
// into a running run of the seeded store, named by PANOPTIM_RUN_ID, the store by PANOPTIM_DIR.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { seed, root } from './env.mjs';

/** Runs `bin/panoptim log` as another process into the running run `id` (PANOPTIM_RUN_ID, PANOPTIM_DIR). */
export function logFromAnotherProcess(id, step, values) {
  const env = { ...process.env, PANOPTIM_RUN_ID: id, PANOPTIM_DIR: seed.store };
  delete env.PANOPTIM_STORE;
  const args = ['log', ...Object.entries(values).map(([k, v]) => `${k}=${v}`), '--step', String(step)];
  return new Promise((resolve, reject) => {
    const p = spawn(join(root, 'bin/panoptim'), args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(Date.now()) : reject(new Error(`bin/panoptim ${args.join(' ')} exited ${code}: ${out}`))));
  });
}
