/**
 * Removing a file the run opened for writing, after the run failed, so that no partial file is left
 * behind: only when the path names a regular file. A device, a pipe or a symbolic link given as the
 * output (`--html /dev/full`, `--trace /dev/stdout`) is the user's, not the run's, and stays.
 */
import { lstatSync, rmSync } from "node:fs"

/** Removes `path` when it is a regular file (not a device, pipe, socket or symbolic link); else does nothing. */
export function removeWrittenFile(path: string): void {
  if (lstatSync(path, { throwIfNoEntry: false })?.isFile() === true) rmSync(path, { force: true })
}
