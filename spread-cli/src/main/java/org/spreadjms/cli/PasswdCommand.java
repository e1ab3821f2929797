package org.spreadjms.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

import org.spreadjms.daemon.UserFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code spread passwd}: adds or replaces a user in a user file, as a salted SCRAM-SHA-256 hash. The password comes
 * from {@code SPREAD_PASSWORD}, else from the terminal (asked twice), else from the first line of standard input.
 */
@Command(name = "passwd", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Add or change a user in a user file for 'spread daemon --users FILE'.",
                "The file keeps a salted SCRAM-SHA-256 hash, never the password. A running daemon picks the change"
                        + " up by itself."})
final class PasswdCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "USER", description = "user name (1..32 bytes, no ',', '=', ':' or spaces)")
    String user;

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "the user file (created if missing)")
    Path file;

    @Option(names = "--roles", split = ",", paramLabel = "ROLE", description = "roles for the ACL, comma-separated")
    List<String> roles = List.of();

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "" + UserFile.DEFAULT_ITERATIONS,
            description = "PBKDF2 iterations (at least 4096; default ${DEFAULT-VALUE})")
    int iterations;

    @Override
    public Integer call() throws Exception {
        String password = password();
        if (password.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "the password is empty");
        }
        try {
            UserFile.write(file, user, password, new LinkedHashSet<>(roles), iterations);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("user '" + user + "' written to " + file);
        out.flush();
        return 0;
    }

    private String password() throws Exception {
        String env = System.getenv(CredentialOptions.PASSWORD_ENV);
        if (env != null) {
            return env;
        }
        Console console = System.console();
        if (console != null) {
            char[] a = console.readPassword("password for %s: ", user);
            char[] b = console.readPassword("again: ");
            if (a == null || b == null || !Arrays.equals(a, b)) {
                throw new ParameterException(spec.commandLine(), "the two passwords differ");
            }
            return new String(a);
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line == null) {
            throw new ParameterException(spec.commandLine(), "no password: set " + CredentialOptions.PASSWORD_ENV
                    + ", type it at a terminal, or give it as the first line of standard input");
        }
        return line;
    }
}
