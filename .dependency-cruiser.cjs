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

/** `from` may import nothing of `src/` outside its own folder and `allowed`. */
function layer(name, allowed) {
  const inside = [LAYERS[name], ...allowed.map((a) => LAYERS[a])].join('|');
  return {
    name: `${name}-imports-only-${allowed.length ? allowed.join('-') : 'itself'}`,
    comment: `src/${name} may import ${allowed.length ? allowed.map((a) => `src/${a}`).join(', ') : 'nothing else of the project'}; the top (src/*.ts) wires the layers together.`,
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
    {
      name: 'offer-speaks-through-the-adapter-interface',
      comment:
        'src/offer (following one offer: writes, wait, change) knows an API only through src/adapters/adapter.ts.',
      severity: 'error',
      from: { path: LAYERS.offer },
      to: { path: '^src/adapters/', pathNot: '^src/adapters/adapter[.]ts$' },
    },
    {
      name: 'inputs-before-everything',
      comment: 'src/inputs reads the inputs; it does not reach into the flow, GitHub or HTTP.',
      severity: 'error',
      from: { path: LAYERS.inputs },
      to: { path: '^src/(offer|github|http)/' },
    },
    {
      name: 'only-the-top-wires',
      comment:
        'src/main.ts wires the folders together and src/finish.ts reports; no folder imports them.',
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
