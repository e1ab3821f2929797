package org.spreadjms.cli;

import java.io.PrintWriter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.daemon.EmbeddedSpreadDaemon;

/**
 * SIGHUP reloads the daemon's user file and ACL (they are also reloaded when they change). Uses {@code sun.misc.Signal}
 * from the jdk.unsupported module, the only way a Java program can handle SIGHUP; where it is missing (other JVMs,
 * Windows) the files are still picked up when they change.
 */
final class ReloadSignal {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

    private ReloadSignal() {
    }

    static void install(EmbeddedSpreadDaemon daemon, PrintWriter out) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> {
                boolean ok = daemon.reloadSecurity();
                out.println(ok ? "reloaded the user file and ACL" : "user file or ACL not reloaded (see the log);"
                        + " the previous ones stay in force");
                out.flush();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            LOG.info("SIGHUP cannot be handled here ({}); changed files are still reloaded", e.toString());
        }
    }
}
