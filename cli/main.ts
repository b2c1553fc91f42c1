import { Command, CommanderError, Option } from 'commander';
import { CliError } from './context';
import { registerDataCommands } from './commands/data';
import { registerExportCommands } from './commands/export';
import { registerReportCommand } from './commands/report';
import { registerServeCommand } from './commands/serve';
import { registerTokenCommands } from './commands/token';
import { registerUserCommands } from './commands/user';
import { registerRebuildCommand, registerWorkspaceCommands } from './commands/workspace';

export function buildProgram(): Command {
  const program = new Command('leadpath')
    .description('Leadpath: marketing attribution and funnel analytics on PostgreSQL.\nUses DATABASE_URL when set, else an embedded PostgreSQL under .leadpath/.')
    .showHelpAfterError()
    .exitOverride();
  registerWorkspaceCommands(program);
  registerDataCommands(program);
  registerRebuildCommand(program);
  registerExportCommands(program);
  registerReportCommand(program);
  registerServeCommand(program);
  registerTokenCommands(program);
  registerUserCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return error.exitCode;
    }
    if (error instanceof CliError) {
      console.error(`error: ${error.message}`);
      return 1;
    }
    const e = error as Error;
    console.error(`error: ${e.message ?? String(e)}`);
    if (process.env.LEADPATH_DEBUG) console.error(e.stack);
    return 1;
  }
}

export { Option };
