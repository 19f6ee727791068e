// A connection limit that idle sockets cannot exhaust: at most `max` connections; a new one
// beyond it closes the oldest connection with no request in progress (a keep-alive socket
// between requests, or one that has not sent a whole request yet), so 20,000 idle sockets hold
// at most `max` slots and the newest client, typically a person, is served. Only when every
// connection is busy (event streams, requests in progress) is the new socket closed.
// A socket that has not sent a whole request `idleMs` after connecting is closed too (Node's
// header timeout only starts with the first byte), and `closeIdle()` closes the idle ones at shutdown
// (otherwise a silent socket holds the server's close open).
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionStats {
  /** Connections open now. */
  open: number;
  /** Idle connections closed to make room. */
  evicted: number;
  /** New connections closed because every slot was busy. */
  refused: number;
}

export function limitConnections(server: Server, max: number, idleMs: number): ConnectionStats & { closeIdle(): void } {
  const stats: ConnectionStats = { open: 0, evicted: 0, refused: 0 };
  // Insertion order is age: the first is the one idle longest.
  const idle = new Set<Socket>();
  /** The timer that closes a socket that never sends a whole request. */
  const firstRequest = new WeakMap<Socket, NodeJS.Timeout>();
  server.on('connection', (socket: Socket) => {
    stats.open++;
    socket.once('close', () => {
      stats.open--;
      idle.delete(socket);
    });
    if (stats.open > max) {
      const oldest = idle.values().next().value;
      if (!oldest) {
        stats.refused++;
        socket.destroy();
        return;
      }
      idle.delete(oldest);
      stats.evicted++;
      oldest.destroy();
    }
    idle.add(socket);
    const silent = setTimeout(() => socket.destroy(), idleMs).unref();
    firstRequest.set(socket, silent);
    socket.once('close', () => clearTimeout(silent));
  });
  server.on('request', (req, res) => {
    const socket = req.socket;
    idle.delete(socket);
    clearTimeout(firstRequest.get(socket));
    firstRequest.delete(socket);
    // Idle again (and now the newest) once the response is done, unless the socket is closing.
    res.once('close', () => {
      if (!socket.destroyed) idle.add(socket);
    });
  });
  return Object.assign(stats, {
    closeIdle(): void {
      for (const s of idle) s.destroy();
      idle.clear();
    },
  });
}
