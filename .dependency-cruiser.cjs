/**
 * The layers the folders promise (docs/architecture.md), checked on every CI run by
 * `npm run structure`. Type-only imports count: a cycle through a type is still a cycle a reader
 * has to untangle.
 */
const LAYERS = {
  core: '^src/core/',
  http: '^src/http/',
  adapters: '^src/adapters/',
  github: '^src/github/',
  auth: '^src/auth/',
  inputs: '^src/inputs/',
  offer: '^src/offer/',
};

/**
 * `from` may import nothing of `src/` outside its own folder, the layers `allowed`, and the single
 * files `files` (paths under `src/`): an allow-list, so a new import across layers is a decision.
 */
function layer(name, allowed, files = []) {
  const filePaths = files.map((f) => `^src/${f.replace(/[.]/g, '[.]')}$`);
  const inside = [LAYERS[name], ...allowed.map((a) => LAYERS[a]), ...filePaths].join('|');
  const may = [...allowed.map((a) => `src/${a}`), ...files.map((f) => `src/${f}`)];
  return {
    name: `${name}-imports-only-${allowed.length ? allowed.join('-') : 'itself'}${files.length ? '-and-named-files' : ''}`,
    comment: `src/${name} may import ${may.length ? may.join(', ') : 'nothing else of the project'}; the top (src/*.ts) wires the layers together.`,
    severity: 'error',
    from: { path: LAYERS[name] },
    to: { path: '^src/', pathNot: inside },
  };
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'An import cycle (type-only imports included): move the shared part into its own module.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    layer('core', []),
    layer('http', ['core']),
    layer('adapters', ['core', 'http']),
    layer('github', ['core', 'http']),
    layer('auth', ['core', 'http']),
    // The inputs come first: the model's words, the APIs by name and their profiles (through the
    // adapter interface and the profile table, never an API's folder), the sign-in settings' types.
    layer('inputs', ['core'], ['adapters/adapter.ts', 'adapters/index.ts', 'auth/settings.ts']),
    // Following one offer knows an API only through the adapter interface.
    layer('offer', ['core', 'http', 'github', 'inputs'], ['adapters/adapter.ts']),
    {
      name: 'only-the-top-wires',
      comment:
        'src/main.ts, src/follow-all.ts and src/side-calls.ts wire the folders together and src/finish.ts reports; no folder imports them.',
      severity: 'error',
      from: { path: '^src/.+/' },
      to: { path: '^src/[^/]+[.]ts$' },
    },
    {
      name: 'one-api-per-adapter',
      comment:
        "An API's adapter does not read another API's words: share through src/adapters/*.ts or src/core.",
      severity: 'error',
      from: { path: '^src/adapters/([^/]+)/' },
      to: { path: '^src/adapters/[^/]+/', pathNot: '^src/adapters/$1/' },
    },
    {
      name: 'simulator-models-the-service',
      comment:
        'The simulator is built from the API docs, not from the client: it imports nothing of src/.',
      severity: 'error',
      from: { path: '^simulator/' },
      to: { path: '^src/' },
    },
    {
      name: 'src-not-from-tests-or-tools',
      comment: 'The product does not import the simulator, tests, scripts or bench.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(simulator|__tests__|scripts|bench)/' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.test.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
