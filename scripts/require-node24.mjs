// npm puts node_modules/.bin first on PATH, so scripts run on the Node 24 that the `node`
// devDependency installs. `npm ci --ignore-scripts` skips that install and silently leaves the
// machine's older Node in charge; stop early with a clear message instead of odd failures later.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `Node ${process.version} is running, but this project needs Node 24 (the action's runtime).\n` +
      'Run `npm ci` (without --ignore-scripts) so the `node` devDependency installs Node 24 into node_modules/.bin.',
  );
  process.exit(1);
}
