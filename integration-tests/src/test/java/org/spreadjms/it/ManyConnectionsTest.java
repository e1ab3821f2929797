package org.spreadjms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.ReceivedMessage;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadOptions;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;
import org.spreadjms.jms.SpreadConnectionFactory;

/**
 * Many connections and groups on one embedded daemon, in bounded time. The default sizes run in the normal build;
 * {@link #soakSizedRawGroups()} (tag soak, {@code -Psoak}) runs a larger version.
 */
class ManyConnectionsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension(b -> b.bindAddress("127.0.0.1")
            .maxSessions(2000));

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void twoHundredConnectionsInTwoThousandGroupsEachGetTheirMessages() throws Exception {
        long nanos = rawGroups(200, 2000, 20);
        assertTrue(nanos < TimeUnit.SECONDS.toNanos(60), "took " + nanos / 1_000_000 + " ms");
    }

    @Test
    @Tag("soak")
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void soakSizedRawGroups() throws Exception {
        rawGroups(1000, 10_000, 30);
    }

    /**
     * {@code connections} raw connections each join {@code perConnection} consecutive groups of {@code groups},
     * connection i starting at group i * groups / connections (so, with groups a multiple of connections, every group
     * gets perConnection * connections / groups members); one more connection sends one message to each group; every
     * connection must get exactly one message per group it is in.
     */
    private static long rawGroups(int connections, int groups, int perConnection) throws Exception {
        long start = System.nanoTime();
        int stride = groups / connections;
        List<SpreadConnection> members = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (SpreadConnection sender = connect()) {
            List<Future<SpreadConnection>> joined = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                int first = i * stride;
                joined.add(pool.submit(() -> {
                    SpreadConnection c = connect();
                    for (int k = 0; k < perConnection; k++) {
                        c.join(group((first + k) % groups), WAIT);
                    }
                    return c;
                }));
            }
            for (Future<SpreadConnection> f : joined) {
                members.add(f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            }
            int expectedMembers = perConnection * connections / groups;
            for (int g = 0; g < groups; g += groups / 5) {
                try (SpreadConnection probe = connect()) {
                    assertEquals(expectedMembers + 1, probe.join(group(g), WAIT).members().size(),
                            "members of " + group(g) + " and the probe");
                }
            }
            for (int g = 0; g < groups; g++) {
                sender.multicast(ServiceType.RELIABLE, group(g), (short) 0, group(g).getBytes(StandardCharsets.UTF_8));
            }
            List<Future<Set<String>>> received = new ArrayList<>();
            for (SpreadConnection c : members) {
                received.add(pool.submit(() -> receiveData(c, perConnection)));
            }
            for (int i = 0; i < connections; i++) {
                Set<String> got = received.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                Set<String> expected = new HashSet<>();
                for (int k = 0; k < perConnection; k++) {
                    expected.add(group((i * stride + k) % groups));
                }
                assertEquals(expected, got, "connection " + i);
            }
        } finally {
            pool.shutdownNow();
            for (SpreadConnection c : members) {
                c.close();
            }
        }
        return System.nanoTime() - start;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void twoHundredJmsConnectionsOnTwentyTopics() throws Exception {
        SpreadConnectionFactory factory = new SpreadConnectionFactory("spread://127.0.0.1:" + daemon.port() + "?storeAcks=0");
        List<Connection> connections = new ArrayList<>();
        List<MessageConsumer> consumers = new ArrayList<>();
        try (Connection producer = factory.createConnection()) {
            for (int i = 0; i < 200; i++) {
                Connection c = factory.createConnection();
                connections.add(c);
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                consumers.add(s.createConsumer(s.createTopic("it.many.topic" + i % 20)));
                c.start();
            }
            Session ps = producer.createSession(Session.AUTO_ACKNOWLEDGE);
            for (int t = 0; t < 20; t++) {
                MessageProducer p = ps.createProducer(ps.createTopic("it.many.topic" + t));
                p.send(ps.createTextMessage("for topic " + t));
            }
            for (int i = 0; i < 200; i++) {
                TextMessage m = assertInstanceOf(TextMessage.class, consumers.get(i).receive(WAIT.toMillis()),
                        "consumer " + i);
                assertEquals("for topic " + i % 20, m.getText());
            }
        } finally {
            for (Connection c : connections) {
                c.close();
            }
        }
    }

    private static SpreadConnection connect() throws Exception {
        return SpreadConnection.connect(SpreadOptions.builder().daemon("127.0.0.1", daemon.port()).build());
    }

    private static String group(int g) {
        return "it.many." + g;
    }

    private static Set<String> receiveData(SpreadConnection c, int n) throws Exception {
        Set<String> got = new HashSet<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (got.size() < n && System.nanoTime() - deadline < 0) {
            ReceivedMessage m = c.receive(Duration.ofNanos(deadline - System.nanoTime()));
            if (m instanceof DataMessage d && !got.add(new String(d.data(), StandardCharsets.UTF_8))) {
                throw new AssertionError("duplicate message " + new String(d.data(), StandardCharsets.UTF_8));
            }
        }
        return got;
    }
}
