"use strict";
// An ioredis application that finds the master through the Sentinels, writing one key at a time across failovers.
//
// Driven by tests/Redoubt.Integration.Tests/Connecting/ClientFailoverTests.cs and `bench clients`; its modules come
// from `npm ci --prefix tests/clients/node` (./run-tests runs it when node_modules is missing).
//
// Settings come as one line of JSON on stdin, never on the command line or in the environment, where other users of
// the machine could read the password:
//   {"sentinels": ["127.20.0.1:26379", ...], "masterName": "mymaster", "password": "...", "prefix": "ioredis"}
// Writes <prefix>:<n> = n for n = 1, 2, ... one at a time; an error is reported and the same n is retried after 10 ms.
// Prints, one line per event:
//   ok <n> <unix-ms>           the write of n was acknowledged at unix-ms
//   err <unix-ms> <message>    a write failed
// Stops on SIGTERM or when stdin closes.

const readline = require("node:readline");
const Redis = require("ioredis");

const RETRY_PAUSE_MS = 10;

function address(text) {
  const colon = text.lastIndexOf(":");
  return { host: text.slice(0, colon), port: Number(text.slice(colon + 1)) };
}

// Writes to a pipe are synchronous in Node on Linux: each line is in the pipe when report returns, nothing is buffered.
function report(line) {
  process.stdout.write(line + "\n");
}

let stopping = false;
const stop = () => {
  stopping = true;
};
process.on("SIGTERM", stop);

async function main(settings) {
  const redis = new Redis({
    sentinels: settings.sentinels.map(address),
    name: settings.masterName,
    password: settings.password,
    sentinelPassword: settings.password,
    // The default reconnect back-off grows by 50 ms per attempt up to 2 s: while the Sentinels still name the dead
    // master, each refused attempt would add to the gap. Retry fast, and keep retrying.
    retryStrategy: (times) => Math.min(times * 10, 100),
    // When no Sentinel answers, ask them all again soon (the default also grows to a second).
    sentinelRetryStrategy: (times) => Math.min(times * 10, 100),
    // A node or Sentinel that accepts connections but does not answer (frozen) costs half a second, not ten.
    connectTimeout: 500,
    sentinelCommandTimeout: 500,
    commandTimeout: 500,
    // Fail a command at once while there is no connection, and let the loop below retry it every 10 ms, rather than
    // queue it: a queued write went out on a connection that had just been made to the old master's address (where
    // the killed node was restarting) and waited there for its timeout, a 1.6 s gap in one suite run.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 5,
    // A planned switchover demotes the master: a write it answers READONLY makes the client reconnect through the
    // Sentinels and send the write again to the new master (the docs' recipe: return 2).
    reconnectOnError: (err) => (err.message.includes("READONLY") ? 2 : false),
  });
  // ioredis reports connection trouble as events; the writes report what the application sees.
  redis.on("error", () => {});

  let n = 1;
  while (!stopping) {
    try {
      await redis.set(`${settings.prefix}:${n}`, String(n));
      report(`ok ${n} ${Date.now()}`);
      n++;
    } catch (err) {
      report(`err ${Date.now()} ${String(err && err.message).replace(/\n/g, " ")}`);
      await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
    }
  }

  redis.disconnect();
}

// The first line of stdin is the settings; the end of stdin is the signal to stop.
const lines = readline.createInterface({ input: process.stdin });
lines.on("close", stop);
lines.once("line", (line) => {
  lines.removeAllListeners("line");
  main(JSON.parse(line)).then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`writer failed: ${err && err.stack}\n`);
      process.exit(1);
    },
  );
});
