package org.spreadjms.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;

import jakarta.jms.JMSException;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code spread} command.
 *
 * <p>Exit codes: 0 done, 1 failed (daemon unreachable, connection lost, a demo step not observed), 2 bad usage
 * (unknown option, missing or conflicting options, bad value), 3 incomplete ({@code listen}/{@code members} reached
 * --timeout before --count).
 */
@Command(name = "spread", mixinStandardHelpOptions = true, versionProvider = SpreadCommand.Version.class,
        description = "Spread Toolkit tools: run an embedded daemon, send and listen, watch group membership, "
                + "benchmark a daemon, and a guided demo.",
        footer = {"", "Exit codes: 0 done, 1 failed, 2 bad usage, 3 incomplete (timeout before --count).",
                "Start with: spread demo"},
        subcommands = {DemoCommand.class, DaemonCommand.class, SendCommand.class, ListenCommand.class,
                MembersCommand.class, StoreCommand.class, BenchCommand.class, PasswdCommand.class,
                CommandLine.HelpCommand.class})
public final class SpreadCommand implements Runnable {
    /** Exit code of a command that ran out of time before what it waited for arrived. */
    static final int EXIT_INCOMPLETE = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (tests run it in-process and capture its out and err writers). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SpreadCommand());
        cl.setExecutionExceptionHandler(SpreadCommand::failed);
        cl.setParameterExceptionHandler(SpreadCommand::badUsage);
        return cl;
    }

    /** Bad usage: the problem, a suggestion when picocli has one, where to find help; exit code 2. */
    private static int badUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(cl.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("See '" + cl.getCommandSpec().qualifiedName() + " --help' for the options.");
        err.flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** A command that threw: one clear line on stderr (the cause chain, not a stack trace) and exit code 1. */
    private static int failed(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        err.println(cl.getCommandSpec().qualifiedName() + ": " + describe(e));
        if (Boolean.getBoolean("spread.stacktrace")) {
            e.printStackTrace(err);
        } else {
            err.println("(run with -Dspread.stacktrace=true for the stack trace)");
        }
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    /** The messages of an exception and its causes (and JMS linked exceptions), without repeats. */
    static String describe(Throwable t) {
        StringBuilder b = new StringBuilder();
        Throwable cur = t;
        for (int depth = 0; cur != null && depth < 5; depth++) {
            String m = cur.getMessage() != null ? cur.getMessage() : cur.getClass().getSimpleName();
            if (b.indexOf(m) < 0) {
                b.append(b.length() == 0 ? "" : ": ").append(m);
            }
            Throwable next = cur.getCause();
            if (next == null && cur instanceof JMSException j) {
                next = j.getLinkedException();
            }
            cur = next == cur ? null : next;
        }
        return b.toString();
    }

    /** {@code spread --version}: the project version written into spread-cli.properties at build time. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = SpreadCommand.class.getResourceAsStream("/spread-cli.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"spread " + p.getProperty("version", "(unknown version)"),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
