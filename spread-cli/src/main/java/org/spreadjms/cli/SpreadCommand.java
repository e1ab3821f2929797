package org.spreadjms.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code spread} command. */
@Command(name = "spread", mixinStandardHelpOptions = true, version = "spread 0.1.0",
        description = "Spread Toolkit tools: run an embedded daemon, benchmark a daemon.",
        subcommands = {DaemonCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class SpreadCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (tests run it in-process). */
    public static CommandLine commandLine() {
        return new CommandLine(new SpreadCommand());
    }
}
