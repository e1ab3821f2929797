package org.spreadjms.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.spreadjms.daemon.EmbeddedSpreadDaemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code spread demo}: starts an embedded daemon and walks through publish/subscribe, competing consumers,
 * request/reply, membership advisories, a plain Spread client and a store member, saying what is sent and what arrives. Every wait
 * is bounded; it ends by itself in a few seconds, exit code 0 when every step behaved as told, 1 otherwise.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start an embedded Spread daemon and show, step by step, what spread-jms does:",
                "publish/subscribe, competing consumers, request/reply, membership advisories, a plain Spread"
                        + " client talking to JMS, and a store member keeping messages for consumers that start later.", "Ends by itself in a few seconds."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        try (EmbeddedSpreadDaemon daemon = EmbeddedSpreadDaemon.builder().port(0).bindAddress("127.0.0.1").build()
                .start()) {
            String url = "spread://127.0.0.1:" + daemon.port();
            out.println("Started an embedded Spread daemon at " + url + " (a free port on this machine).");
            out.println("Every client below has its own connection to it, as separate programs would.");
            out.println("Steps 1-5 run without a store member (storeAcks=0: nothing is kept on disk); step 6 adds one.");
            DemoSteps steps = new DemoSteps(url, out);
            try {
                steps.publishSubscribe();
                steps.competingConsumers();
                steps.requestReply();
                steps.membershipAdvisories();
                steps.plainSpreadClient();
                steps.storedMessages(daemon.port() + "@127.0.0.1");
            } catch (DemoSteps.NotAsExpected e) {
                out.println();
                out.println("Demo failed: " + e.getMessage());
                out.flush();
                return 1;
            }
            out.println();
            out.printf(Locale.ROOT, "Demo finished in %.1f s: every step behaved as described. Next: run"
                    + " `spread daemon` in one terminal and `spread listen --topic news` / `spread send --topic news"
                    + " --text hi` in others.%n", (System.nanoTime() - start) / 1e9);
            out.flush();
            return 0;
        }
    }
}
