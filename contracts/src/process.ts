/**
 * Node-only helpers the backend and the agent both need (`@dxoc/contracts/process`; the browser never imports it).
 * Both guard their data directory with a lock file holding a pid, and both must tell a live holder from a stale one.
 */

/** Whether a process with this pid exists (EPERM: it does, under another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
