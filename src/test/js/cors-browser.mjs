// A real headless Chromium (playwright-core, the system's Chromium) opens each page and uploads a file with
// tus-js-client to Camelcast from that page's origin (CorsFlowTest serves the pages):
//
//   node cors-browser.mjs CHROMIUM ENDPOINT API_KEY SIZE NAME=PAGE_URL [NAME=PAGE_URL ...]
//
// Prints one JSON line: {"<name>": {"ok", "url" | "error", "sha256", "console": [...]}, ...}.
import { chromium } from 'playwright-core';

const [executablePath, endpoint, apiKey, size, ...pages] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath,
  headless: true,
  // root in a container: no user namespaces for Chromium's sandbox
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
});
try {
  const results = {};
  for (const spec of pages) {
    const eq = spec.indexOf('=');
    const name = spec.slice(0, eq);
    const page = await browser.newPage();
    const console = [];
    page.on('console', (m) => console.push(m.text()));
    await page.goto(spec.slice(eq + 1));
    const result = await page.evaluate(([e, k, s]) => window.uploadFile(e, k, s), [endpoint, apiKey, Number(size)]);
    results[name] = { ...result, console };
    await page.close();
  }
  process.stdout.write(JSON.stringify(results) + '\n');
} finally {
  await browser.close();
}
