package org.spreadjms.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.spreadjms.store.log.FsyncPolicy;

/**
 * A store member in its own JVM, for the SIGKILL test: prints {@code serving} once it serves, then runs until its
 * standard input closes (or it is killed). Arguments: port, private name, data directory, control group, then the
 * destinations (none: a member that keeps durable subscriptions only).
 */
public final class StoreMemberProcess {
    private StoreMemberProcess() {
    }

    public static void main(String[] args) throws Exception {
        StoreMemberOptions o = new StoreMemberOptions(args[0], args[1], Path.of(args[2]), FsyncPolicy.defaultPolicy(),
                List.of(args).subList(4, args.length), args[3], 1, Duration.ofSeconds(20), 64L << 20);
        try (StoreMember m = StoreMember.start(o)) {
            m.awaitServing(Duration.ofSeconds(20));
            System.out.println("serving");
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the parent closes our input or kills us
            }
        }
    }
}
