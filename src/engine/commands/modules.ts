/**
 * MODULE HELP / LIST / LOAD / LOADEX / UNLOAD. Our engine cannot load native modules, so it
 * behaves like a Redis 7.0.15 with none loaded: LIST is empty, every LOAD or LOADEX fails the
 * way a library that cannot be opened does, and UNLOAD finds no module of that name.
 *
 * LOAD, LOADEX and UNLOAD are protected: the dispatcher refuses them unless
 * enable-module-command allows it (no by default), as it does for DEBUG.
 */
import type { Client } from '../server/client';
import { cmd, type CommandSpec } from './table';
import { addReplyHelp } from './help';

const G = { group: 'server', acl: [] as string[] };

const MODULE_HELP = [
  'LIST',
  '    Return a list of loaded modules.',
  'LOAD <path> [<arg> ...]',
  '    Load a module library from <path>, passing to it any optional arguments.',
  'LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]',
  '    Load a module library from <path>, while passing it module configurations and optional arguments.',
  'UNLOAD <name>',
  '    Unload a module.',
];

/** moduleLoad failing: Redis logs why (dlopen's error) and replies this. */
function load(c: Client, argv: string[]): void {
  c.server.log.warning(`Module ${argv[2]} failed to load: this server cannot load native modules`);
  c.replyError('Error loading the extension. Please check the server logs.');
}

export const moduleCommands: CommandSpec[] = [
  cmd('module', -2, [], [0, 0, 0], { ...G, since: '4.0.0', summary: 'A container for the module commands.', complexity: 'Depends on subcommand.' }, undefined, {
    subcommands: [
      cmd('help', 2, ['loading', 'stale'], [0, 0, 0], { ...G, since: '5.0.0', summary: 'Show what the MODULE subcommands do.', complexity: 'O(1)' },
        (c, a) => addReplyHelp(c, a, MODULE_HELP)),
      cmd('list', 2, ['admin', 'noscript'], [0, 0, 0], {
        ...G, since: '4.0.0', summary: 'List the loaded modules.', complexity: 'O(N) for N loaded modules.', tips: ['nondeterministic_output_order'],
      }, (c) => c.replyArrayLen(0)),
      cmd('load', -3, ['admin', 'noscript', 'no_async_loading', 'protected'], [0, 0, 0], {
        ...G, since: '4.0.0', summary: 'Load a module from a shared library.', complexity: 'O(1)',
        args: [{ name: 'path', type: 'string' }, { name: 'arg', type: 'string', optional: true, multiple: true }],
      }, load),
      cmd('loadex', -3, ['admin', 'noscript', 'no_async_loading', 'protected'], [0, 0, 0], {
        ...G, since: '7.0.0', summary: 'Load a module, with module configurations and arguments.', complexity: 'O(1)',
        args: [
          { name: 'path', type: 'string' },
          { name: 'configs', type: 'block', token: 'CONFIG', optional: true, multiple: true, multipleToken: true, args: [{ name: 'name', type: 'string' }, { name: 'value', type: 'string' }] },
          { name: 'args', type: 'block', token: 'ARGS', optional: true, multiple: true, args: [{ name: 'arg', type: 'string' }] },
        ],
      }, load),
      cmd('unload', 3, ['admin', 'noscript', 'no_async_loading', 'protected'], [0, 0, 0], {
        ...G, since: '4.0.0', summary: 'Unload a loaded module.', complexity: 'O(1)', args: [{ name: 'name', type: 'string' }],
      }, (c) => c.replyError('Error unloading module: no such module with that name')),
    ],
  }),
];
