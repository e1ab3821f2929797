package org.spreadjms.daemon.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.MembershipMessage;
import org.spreadjms.client.ReceivedMessage;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

/** The spread-client example of README.md, with the daemon's port in place of 4803. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ReadmeExampleTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    @Test
    void readmeClientExampleRuns() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(captured, true);
        // --- README example, System.out replaced by out ---
        try (SpreadConnection c = SpreadConnection.connect(daemon.port() + "@127.0.0.1", "alice", true)) {
            c.join("demo", Duration.ofSeconds(5));
            c.multicast(ServiceType.AGREED, "demo", (short) 1, "hello".getBytes());
            ReceivedMessage m;
            while ((m = c.receive(Duration.ofSeconds(5))) != null) {
                if (m instanceof DataMessage d) {
                    out.println(d.sender() + ": " + new String(d.data()));
                    break;
                } else if (m instanceof MembershipMessage mm) {
                    out.println(mm.reason() + " " + mm.group() + " " + mm.members());
                }
            }
        }
        // --- end of example ---
        String text = captured.toString();
        assertTrue(text.contains("JOIN demo [#alice#localhost]"), text);
        assertTrue(text.contains("#alice#localhost: hello"), text);
    }
}
