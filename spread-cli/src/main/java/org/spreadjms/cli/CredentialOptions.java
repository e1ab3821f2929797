package org.spreadjms.cli;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;

import org.spreadjms.client.SpreadOptions;
import org.spreadjms.jms.SpreadConnectionFactory;
import picocli.CommandLine.Option;

/**
 * {@code --user} and {@code --password} of the client commands. The password may also come from the environment
 * variable {@value #PASSWORD_ENV} (better than the command line, where other users can see it in the process list).
 */
final class CredentialOptions {
    static final String PASSWORD_ENV = "SPREAD_PASSWORD";

    @Option(names = "--user", paramLabel = "NAME",
            description = "authenticate as this user (SCRAM-SHA-256 if the daemon offers it, else PWORD)")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD",
            description = "the user's password (default: the environment variable " + PASSWORD_ENV + ")")
    String password;

    /** The password to use: --password, else the environment variable; null without --user. */
    String password() {
        if (user == null) {
            return null;
        }
        if (password != null) {
            return password;
        }
        String env = System.getenv(PASSWORD_ENV);
        if (env == null) {
            throw new IllegalArgumentException("--user " + user + " needs a password: give --password or set "
                    + PASSWORD_ENV);
        }
        return env;
    }

    SpreadOptions.Builder apply(SpreadOptions.Builder b) {
        if (user != null) {
            b.credentials(user, password());
        }
        return b;
    }

    Connection connect(SpreadConnectionFactory f) throws JMSException {
        return user == null ? f.createConnection() : f.createConnection(user, password());
    }
}
