// `npm start` on a fresh clone: build the SPA once when dist/ is missing or older than the sources.
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execSync } from 'node:child_process';

// Only files that go into the bundle count: data/ also holds the default database (data/db).
const SOURCE = /\.(ts|tsx|wgsl|css|json|html)$/;
function newest(dir, recurse = true) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = recurse ? Math.max(t, newest(p)) : t;
    else if (SOURCE.test(e.name)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}
const built = existsSync('dist/index.html') ? statSync('dist/index.html').mtimeMs : 0;
const sources = Math.max(
  ...['src', 'workers', 'kernels'].filter(existsSync).map((d) => newest(d)),
  existsSync('data') ? newest('data', false) : 0,
  ...['index.html', 'bench.html', 'vite.config.ts', 'package.json'].filter(existsSync).map((f) => statSync(f).mtimeMs),
);
if (built < sources) {
  console.log(built ? 'Sources changed: rebuilding the app…' : 'First start: building the app…');
  execSync('npx vite build --logLevel warn', { stdio: 'inherit' });
}
