// Preloaded (node --import) into a CLI run: writes to the plan's contents spill file fail with
// ENOSPC, as on a full disk, while every other file writes as usual.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const spills = new Set();
const openSync = fs.openSync;
const writeSync = fs.writeSync;
fs.openSync = function (path, ...rest) {
  const fd = openSync.call(this, path, ...rest);
  if (String(path).endsWith('.spill')) spills.add(fd);
  return fd;
};
fs.writeSync = function (fd, ...rest) {
  if (spills.has(fd)) {
    const error = new Error('ENOSPC: no space left on device, write');
    Object.assign(error, { code: 'ENOSPC', errno: -28, syscall: 'write' });
    throw error;
  }
  return writeSync.call(this, fd, ...rest);
};
syncBuiltinESMExports();
