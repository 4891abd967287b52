// Blocks network access to other hosts inside the process that installs it.
// The docs build preloads networkGuardPreload.ts into the renderer's process,
// so that a renderer which tries to reach another host fails the build
// instead of sending traffic. Each blocked target is appended to the file
// named by DOCS_NETWORK_GUARD_LOG.
// NOTE: dns.resolve*, raw UDP sockets and child processes are not covered.
import dns from 'node:dns';
import { appendFileSync } from 'node:fs';
import net from 'node:net';

/** Environment variable naming the file that receives one line per blocked target. */
export const networkGuardLogVariable = 'DOCS_NETWORK_GUARD_LOG';

/** Returns true for the loopback names and addresses a local build may use. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined || host === '') {
    // Node connects to localhost when no host is given.
    return true;
  }
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || bare === '0:0:0:0:0:0:0:1' || /^127\.\d+\.\d+\.\d+$/.test(bare) || /^::ffff:127\./.test(bare);
}

interface ConnectTarget {
  path?: string;
  host?: string;
  port?: unknown;
}

/**
 * Reads the target of a Socket#connect call. net.connect() passes its
 * normalised arguments as one array, `[options, callback]`; direct callers
 * pass `(options)`, `(port, host)` or `(path)`.
 */
function targetOf(args: unknown[]): ConnectTarget {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'object' && first !== null) {
    const options = first as { path?: unknown; host?: unknown; port?: unknown };
    return {
      path: typeof options.path === 'string' ? options.path : undefined,
      host: typeof options.host === 'string' ? options.host : undefined,
      port: options.port,
    };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) {
    return { path: first };
  }
  return { host: typeof args[1] === 'string' ? args[1] : undefined, port: first };
}

function record(target: string): void {
  const logPath = process.env[networkGuardLogVariable];
  if (logPath) {
    appendFileSync(logPath, `${target}\n`);
  }
}

function blockedError(target: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`Network access to ${target} is blocked while the docs are built offline`);
  error.code = 'ECONNREFUSED';
  return error;
}

/**
 * Patches net.Socket#connect, dns.lookup and dns.promises.lookup so that
 * connections and name lookups for anything but loopback fail with
 * ECONNREFUSED or ENOTFOUND before a packet is sent.
 */
export function installNetworkGuard(): void {
  const socketPrototype = net.Socket.prototype as unknown as { connect: (this: net.Socket, ...connectArgs: unknown[]) => net.Socket };
  const originalConnect = socketPrototype.connect;
  socketPrototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]): net.Socket {
    const target = targetOf(args);
    if (target.path !== undefined || isLoopbackHost(target.host)) {
      return originalConnect.apply(this, args);
    }
    const label = `${target.host ?? ''}:${String(target.port)}`;
    record(label);
    process.nextTick(() => this.destroy(blockedError(label)));
    return this;
  };

  const originalLookup = dns.lookup;
  const guardedLookup = function guardedLookup(hostname: string, ...rest: unknown[]): void {
    if (isLoopbackHost(hostname)) {
      (originalLookup as (...lookupArgs: unknown[]) => void)(hostname, ...rest);
      return;
    }
    record(`dns:${hostname}`);
    const callback = rest.find((argument): argument is (error: Error) => void => typeof argument === 'function');
    const error = blockedError(hostname);
    error.code = 'ENOTFOUND';
    process.nextTick(() => callback?.(error));
  };
  dns.lookup = guardedLookup as typeof dns.lookup;

  const originalPromiseLookup = dns.promises.lookup;
  dns.promises.lookup = async function guardedPromiseLookup(hostname: string, ...rest: unknown[]): Promise<unknown> {
    if (isLoopbackHost(hostname)) {
      return (originalPromiseLookup as (...lookupArgs: unknown[]) => Promise<unknown>)(hostname, ...rest);
    }
    record(`dns:${hostname}`);
    const error = blockedError(hostname);
    error.code = 'ENOTFOUND';
    return Promise.reject(error);
  } as typeof dns.promises.lookup;
}
