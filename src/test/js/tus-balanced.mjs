// tus-js-client (the TUS reference client for browsers and Node) against several Camelcast instances
// behind a round-robin balancer that this script runs itself: every request goes to the next instance,
// nothing sticky. Location headers are rewritten to the balancer, as a real one would by its public URL.
//
//   node tus-balanced.mjs FILE API_KEY PARALLEL http://127.0.0.1:A http://127.0.0.1:B ...
//
// Prints one JSON line: {"url", "bytes", "requests": {"<instance>": n}}; exits 1 with the error otherwise.
import http from 'node:http';
import fs from 'node:fs';
import * as tus from 'tus-js-client';

const [file, apiKey, parallel, ...instances] = process.argv.slice(2);
const counts = {};
let next = 0;
const balancer = http.createServer((req, res) => {
  const target = new URL(instances[next++ % instances.length]);
  counts[target.port] = (counts[target.port] || 0) + 1;
  const proxied = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url,
    headers: { ...req.headers, host: `${target.hostname}:${target.port}` } }, (answer) => {
    const headers = { ...answer.headers };
    if (headers.location) {
      headers.location = headers.location.replace(/^https?:\/\/[^/]+/, `http://127.0.0.1:${balancer.address().port}`);
    }
    res.writeHead(answer.statusCode, headers);
    answer.pipe(res);
  });
  proxied.on('error', (e) => { res.writeHead(502); res.end(String(e)); });
  req.pipe(proxied);
});
balancer.listen(0, '127.0.0.1', () => {
  const size = fs.statSync(file).size;
  const upload = new tus.Upload(fs.readFileSync(file), {
    endpoint: `http://127.0.0.1:${balancer.address().port}/files`,
    chunkSize: 6 * 1024 * 1024,
    parallelUploads: Number(parallel),
    retryDelays: [0, 500, 1000, 2000, 5000],
    headers: { 'X-Api-Key': apiKey },
    metadata: { filename: 'parallel.mp4', filetype: 'video/mp4' },
    onError: (e) => { console.error(String(e)); process.exit(1); },
    onSuccess: () => {
      console.log(JSON.stringify({ url: upload.url, bytes: size, requests: counts }));
      balancer.close();
      process.exit(0);
    },
  });
  upload.start();
});
