// ESLint flat config. The important part is the sans-IO rule for src/engine: the engine may
// only see the world through its Os, which is what makes the simulation deterministic and the
// native host possible (docs/ARCHITECTURE.md).
import tseslint from 'typescript-eslint';
import globals from 'globals';

const engineForbiddenGlobals = [
  { name: 'Date', message: 'src/engine is sans-IO: use os.now() instead of Date.' },
  { name: 'setTimeout', message: 'src/engine is sans-IO: use os.setTimer().' },
  { name: 'setInterval', message: 'src/engine is sans-IO: use os.setTimer().' },
  { name: 'setImmediate', message: 'src/engine is sans-IO: use os.setTimer().' },
  { name: 'clearTimeout', message: 'src/engine is sans-IO: use os.clearTimer().' },
  { name: 'clearInterval', message: 'src/engine is sans-IO: use os.clearTimer().' },
  { name: 'queueMicrotask', message: 'src/engine is sans-IO: schedule through the Os.' },
  { name: 'performance', message: 'src/engine is sans-IO: use os.now().' },
  { name: 'process', message: 'src/engine is sans-IO: no Node globals.' },
  { name: 'Buffer', message: 'src/engine is sans-IO: use Uint8Array.' },
  { name: 'require', message: 'src/engine is sans-IO: no Node modules.' },
  { name: 'window', message: 'src/engine is sans-IO: no DOM.' },
  { name: 'document', message: 'src/engine is sans-IO: no DOM.' },
  { name: 'navigator', message: 'src/engine is sans-IO: no DOM.' },
  { name: 'self', message: 'src/engine is sans-IO: no DOM.' },
  { name: 'globalThis', message: 'src/engine is sans-IO: no ambient globals.' },
  { name: 'fetch', message: 'src/engine is sans-IO: no network but through the Os.' },
  { name: 'crypto', message: 'src/engine is sans-IO: use os.random().' },
  { name: 'localStorage', message: 'src/engine is sans-IO.' },
  { name: 'indexedDB', message: 'src/engine is sans-IO.' },
];

/**
 * `os.trackAsync?.(work())`: where the Os has no trackAsync (the native host) the optional call
 * skips evaluating its argument, so the work would never start. Start it first.
 */
const optionalCallStartingWork = {
  selector: 'CallExpression[optional=true][callee.property.name="trackAsync"] > .arguments:not(Identifier)',
  message: 'os.trackAsync?.(…) does not evaluate its argument where the Os has no trackAsync: start the work first (const p = work(); os.trackAsync?.(p)).',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.vendor/**', 'test-results/**', 'public/**'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
      'prefer-const': 'error',
      'no-restricted-syntax': ['error', optionalCallStartingWork],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-globals': ['error', ...engineForbiddenGlobals],
      'no-restricted-syntax': ['error', optionalCallStartingWork, {
        selector: 'ImportExpression',
        message: 'src/engine is sans-IO: a dynamic import resolves in wall-clock time, outside the simulation. Import statically.',
      }],
      'no-restricted-properties': ['error',
        { object: 'Math', property: 'random', message: 'src/engine is sans-IO: use os.random().' },
      ],
      'no-restricted-imports': ['error', {
        paths: ['fs', 'fs/promises', 'net', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'tls', 'dgram',
          'worker_threads', 'readline', 'stream', 'events', 'timers', 'perf_hooks', 'process', 'buffer', 'util', 'zlib']
          .map((name) => ({ name, message: 'src/engine is sans-IO: no Node modules.' })),
        patterns: [
          { group: ['node:*'], message: 'src/engine is sans-IO: no Node modules.' },
          { group: ['**/sim', '**/sim/**', '**/native', '**/native/**', '**/ui', '**/ui/**', '**/lessons', '**/lessons/**'],
            message: 'src/engine must not import from sim, native, ui or lessons.' },
          { group: ['comlink', 'd3', 'd3-*', 'svelte', 'svelte/*'], message: 'src/engine does no I/O and draws nothing.' },
        ],
      }],
    },
  },
);
