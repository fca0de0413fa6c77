// Writes a gzip -9 sibling (X.gz) next to every compressible file in dist/ that gets smaller,
// so `tongxin serve` can send the compressed bytes as they are (Content-Encoding: gzip).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, constants } from 'node:zlib';

const root = new URL('../dist/', import.meta.url).pathname;
const compressible = /\.(html|js|mjs|css|svg|json|map|txt|ico|webmanifest)$/;
let before = 0;
let after = 0;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) { walk(path); continue; }
    if (!compressible.test(name)) continue;
    const data = readFileSync(path);
    const gz = gzipSync(data, { level: constants.Z_BEST_COMPRESSION });
    if (gz.length >= data.length) continue;
    writeFileSync(`${path}.gz`, gz);
    before += data.length;
    after += gz.length;
  }
}

walk(root);
console.log(`precompress: ${(before / 1024).toFixed(0)} KiB -> ${(after / 1024).toFixed(0)} KiB gzip`);
