// `npm start` on a fresh clone: build the SPA once when dist/ is missing or older than the sources.
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execSync } from 'node:child_process';

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
const built = existsSync('dist/index.html') ? statSync('dist/index.html').mtimeMs : 0;
const sources = Math.max(...['src', 'workers', 'kernels', 'data'].filter(existsSync).map(newest), statSync('index.html').mtimeMs);
if (built < sources) {
  console.log(built ? 'Sources changed: rebuilding the app…' : 'First start: building the app…');
  execSync('npx vite build --logLevel warn', { stdio: 'inherit' });
}
