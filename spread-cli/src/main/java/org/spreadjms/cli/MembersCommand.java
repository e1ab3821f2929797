package org.spreadjms.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import org.spreadjms.client.MembershipMessage;
import org.spreadjms.client.ReceivedMessage;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadOptions;
import org.spreadjms.client.membership.MembershipReason;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code spread members <group>}: prints a group's current view and then every change. Spread tells membership only
 * to members, so the watcher joins the group and appears in the views it prints (marked "this watcher").
 */
@Command(name = "members", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show the live membership of a Spread group: the current view, then every join, leave,"
                + " disconnect and network change, until Ctrl-C, --changes or --timeout.",
                "Spread tells membership only to members, so this watcher joins the group and is listed too.",
                "For a JMS topic the group is the topic name; for a JMS queue Q it is q~Q."})
final class MembersCommand implements Callable<Integer> {
    private static final Duration POLL = Duration.ofMillis(200);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "GROUP", description = "the Spread group")
    String group;

    @Option(names = "--url", defaultValue = DaemonUrl.DEFAULT,
            description = "daemon: spread://host:port, port@host or host:port (default ${DEFAULT-VALUE})")
    String url;

    @picocli.CommandLine.Mixin
    CredentialOptions credentials = new CredentialOptions();

    @Option(names = "--changes", paramLabel = "N", description = "stop after N changes following the first view")
    Integer changes;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "stop after this many seconds (exit code 3 if --changes was not reached)")
    Double timeout;

    @Override
    public Integer call() throws Exception {
        if (changes != null && changes < 1) {
            throw new ParameterException(spec.commandLine(), "--changes must be at least 1 (was " + changes + ")");
        }
        if (timeout != null && !(timeout > 0)) {
            throw new ParameterException(spec.commandLine(), "--timeout must be more than 0 seconds (was " + timeout
                    + ")");
        }
        PrintWriter out = spec.commandLine().getOut();
        long deadline = timeout == null ? 0 : System.nanoTime() + (long) (timeout * 1e9);
        int seen = -1; // the first view (our own join) is not a change
        try (StopSignal stop = new StopSignal("members");
             SpreadConnection c = SpreadConnection.connect(credentials.apply(SpreadOptions.builder())
                .daemon(DaemonUrl.parse(url))
                     .build())) {
            c.join(group, Duration.ofSeconds(10));
            String me = c.privateGroup();
            out.println("watching group '" + group + "' at " + url + " as " + me + " (Ctrl-C to stop)");
            out.flush();
            while (!stop.stopped() && (changes == null || seen < changes)
                    && (timeout == null || System.nanoTime() - deadline < 0)) {
                ReceivedMessage m = c.receive(POLL);
                if (m instanceof MembershipMessage mm && mm.group().equals(group)
                        && mm.reason() != MembershipReason.SELF_LEAVE) {
                    out.println(describe(mm, me, seen < 0));
                    out.flush();
                    if (mm.isRegular()) {
                        seen++;
                    }
                }
            }
            out.println("saw " + Math.max(seen, 0) + " change" + (seen == 1 ? "" : "s") + " of group '" + group
                    + "'");
            out.flush();
        }
        return changes != null && seen < changes ? SpreadCommand.EXIT_INCOMPLETE : 0;
    }

    static String describe(MembershipMessage mm, String me, boolean first) {
        if (!mm.isRegular()) {
            return "  (transitional: a membership change is under way)";
        }
        String what = first ? "view" : mm.reason() + " " + String.join(", ", mm.changedMembers()) + " ->";
        return what + " " + mm.groupId() + ": " + mm.members().size() + " member"
                + (mm.members().size() == 1 ? "" : "s") + " " + marked(mm.members(), me);
    }

    private static String marked(List<String> members, String me) {
        return members.stream().map(m -> m.equals(me) ? m + " (this watcher)" : m).toList().toString();
    }
}
