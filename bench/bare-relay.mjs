// The smallest relay a console could be, for the benchmarks' yardstick: one Node process that adds the
// token and passes each GET on to the Ray head over kept-alive connections, with no session, no routing,
// no parsing. What it adds to Ray's time is what any extra hop costs on this machine.
// Usage: RAY_DASHBOARD_URL=… RAY_TOKEN=… node bench/bare-relay.mjs   (prints its port, then serves)
import http from 'node:http';

const target = new URL(process.env.RAY_DASHBOARD_URL);
const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
const server = http.createServer((req, res) => {
  const upstream = http.request(
    {
      host: target.hostname,
      port: target.port,
      path: req.url,
      agent,
      headers: { authorization: `Bearer ${process.env.RAY_TOKEN}`, 'user-agent': 'ray-console-bench-relay' },
    },
    (answer) => {
      const chunks = [];
      answer.on('data', (c) => chunks.push(c));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        res.writeHead(answer.statusCode ?? 502, { 'content-type': 'application/json', 'content-length': body.length });
        res.end(body);
      });
    },
  );
  upstream.on('error', () => res.writeHead(502).end());
  upstream.end();
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('SIGTERM', () => process.exit(0));
