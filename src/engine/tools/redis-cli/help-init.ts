/**
 * cliInitHelp: fill redis-cli's help table from the server's COMMAND DOCS, or from our
 * built-in table (completed with COMMAND's list) when DOCS is not available or there is no
 * server. Shared by `help <command>`, hints and completion.
 */
import { ALL_COMMAND_FAMILIES } from '../../commands';
import type { RedisCli } from './cli';
import { CC_QUIET } from './cli';
import { genericHelpText, helpFromCommandDocs, helpFromSpecs, helpText, integrateCommandReply } from './help';
import { cliVersion } from './usage';

function builtinHelp(cli: RedisCli): void {
  cli.helpEntries = helpFromSpecs(ALL_COMMAND_FAMILIES.flat());
}

export async function initHelp(cli: RedisCli): Promise<void> {
  if (!(await cli.connect(CC_QUIET))) {
    builtinHelp(cli);
    return;
  }
  const docs = await cli.command(cli.context!, ['COMMAND', 'DOCS']);
  if (docs === null || docs.type === 'error') {
    builtinHelp(cli);
    // cliOldIntegrateHelp: add what COMMAND lists beyond the built-in table.
    if (!(await cli.connect(CC_QUIET))) return;
    const list = await cli.command(cli.context!, ['COMMAND']);
    if (list && cli.helpEntries) integrateCommandReply(cli.helpEntries, list);
    return;
  }
  if (docs.type !== 'map' && docs.type !== 'array') return;
  cli.helpEntries = helpFromCommandDocs(docs);
}

/** cliOutputHelp. */
export async function outputHelp(cli: RedisCli, args: string[]): Promise<void> {
  if (args.length === 0) {
    cli.out(genericHelpText(cliVersion()));
    return;
  }
  if (cli.helpEntries === null) await initHelp(cli);
  cli.out(helpText(cli.helpEntries ?? [], args));
}
