package org.spreadjms.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spreadjms.daemon.EmbeddedSpreadSegment;
import org.spreadjms.jms.SpreadConnectionFactory;
import org.spreadjms.jms.queue.DurableSubscriptions;
import org.spreadjms.store.log.FsyncPolicy;

/**
 * A daemon crashes under a durable subscription's parts (issue 14), on the multi-daemon fixture with two daemons:
 * {@link EmbeddedSpreadSegment#crash} ends every connection to {@code d1} and its port refuses connections from then
 * on, while the clients of {@code d2} see its clients leave as in a partition. A producer sends PERSISTENT messages
 * ({@code storeAcks=all}) on its own thread and a durable subscriber receives them with a message listener.
 *
 * <ul>
 *   <li>{@code subscriber}: the subscriber is on {@code d1}, with a failover URI listing {@code d1} and
 *       {@code d2}; it reconnects to {@code d2} and rejoins the subscription's group, and the store member (on
 *       {@code d2}) forwards again from the first message still kept;</li>
 *   <li>{@code producer}: the producer is on {@code d1}, with the failover URI; the send in flight at the crash
 *       waits for the reconnection and, if its acknowledgements (or the message) died with the daemon, is sent again
 *       on the new connection, so no send fails;</li>
 *   <li>{@code forwarder}: two store members, the forwarding one (first of the control view) on {@code d1}; a store
 *       member is a plain Spread client without failover, so it ends when its daemon does (its
 *       {@link StoreMember#failure()} says so) and the member on {@code d2} takes over forwarding.</li>
 * </ul>
 *
 * <p>Asserted: every message whose send returned reaches the subscriber, first copies in send order, every further
 * copy marked JMSRedelivered; once the subscriber acknowledged everything no surviving member keeps anything.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DaemonCrashTest {
    private static final String CONTROL = "$store.dk";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration QUIET = Duration.ofMillis(1500);
    private static final String SUBSCRIPTION = "d";
    private static final int TOTAL = 800;
    private static final int BACKLOG = 300;
    private static final int CRASH_AT = 150;

    @TempDir
    Path dir;

    private EmbeddedSpreadSegment segment;

    private String options() {
        return "storeGroup=" + CONTROL + "&storeTimeout=3000";
    }

    private String plainUrl(String daemon) {
        return "spread://127.0.0.1:" + segment.port(daemon) + "?" + options();
    }

    /** A failover URI trying {@code first}, then the other daemon; reconnecting within a few hundred ms. */
    private String failoverUrl(String first) {
        String other = first.equals("d1") ? "d2" : "d1";
        return "spread:failover:(spread://127.0.0.1:" + segment.port(first) + ",spread://127.0.0.1:"
                + segment.port(other) + ")?failover.initialReconnectDelay=20&failover.maxReconnectDelay=200&"
                + options();
    }

    private StoreMember member(String daemon, String name) throws Exception {
        return StoreMember.start(new StoreMemberOptions(segment.port(daemon) + "@127.0.0.1", name, dir.resolve(name),
                FsyncPolicy.defaultPolicy(), List.of(), CONTROL, 1, WAIT, 64L << 20));
    }

    /** While the store member still counts the closed consumer as attached, it refuses another: retried. */
    private static MessageConsumer durableConsumer(Session s, String topic) throws JMSException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return s.createDurableConsumer(s.createTopic(topic), SUBSCRIPTION);
            } catch (IllegalStateException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"subscriber", "producer", "forwarder"})
    void aDurableSubscriberLosesNothingWhenADaemonUnderItCrashes(String variant) throws Exception {
        String topic = "dk-" + variant.charAt(0);
        String group = DurableSubscriptions.groupOf(topic, SUBSCRIPTION);
        segment = EmbeddedSpreadSegment.start("d1", "d2");
        try (EmbeddedSpreadSegment s = segment) {
            StoreMember first = variant.equals("forwarder") ? member("d1", "ka") : null;
            StoreMember survivor = member("d2", "kb");
            List<StoreMember> all = first == null ? List.of(survivor) : List.of(first, survivor);
            try (StoreMember f = first; StoreMember sv = survivor) {
                for (StoreMember m : all) {
                    m.awaitServing(WAIT);
                }
                String subscriberUrl = variant.equals("subscriber") ? failoverUrl("d1") : plainUrl("d2");
                String producerUrl = variant.equals("producer") ? failoverUrl("d1") : plainUrl("d2");
                ListenerInbox inbox = new ListenerInbox();
                try (Connection c = new SpreadConnectionFactory(subscriberUrl).createConnection();
                     ProducerLoop producer = new ProducerLoop(new PersistentTopicProducer(producerUrl, topic))) {
                    c.setClientID(topic);
                    Session session = c.createSession(Session.AUTO_ACKNOWLEDGE);
                    session.createDurableConsumer(session.createTopic(topic), SUBSCRIPTION).close();
                    // a backlog, so that many forwarded messages are on their way when the daemon crashes
                    producer.allow(BACKLOG);
                    assertTrue(producer.awaitIdle(WAIT), producer.describeFailures());
                    MessageConsumer consumer = durableConsumer(session, topic);
                    consumer.setMessageListener(inbox::add);
                    c.start();
                    producer.allow(TOTAL);
                    if (variant.equals("producer")) {
                        assertTrue(producer.awaitReturned(BACKLOG + CRASH_AT, WAIT), producer.describeFailures());
                    } else {
                        assertTrue(inbox.awaitCount(CRASH_AT, WAIT), "received " + inbox.size());
                    }
                    int receivedAtCrash = inbox.size();
                    int returnedAtCrash = producer.returned().size();
                    segment.crash("d1");
                    if (first != null) {
                        String why = first.failure().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                        assertTrue(why.contains("connection to the daemon was lost"), why);
                    }
                    assertTrue(producer.awaitIdle(WAIT), producer.describeFailures());
                    List<String> returned = producer.returned();
                    assertTrue(inbox.awaitAll(returned, WAIT), "returned sends not received: " + returned.stream()
                            .filter(t -> !inbox.texts().contains(t)).limit(20).toList());
                    inbox.awaitQuiet(QUIET, WAIT);
                    StreamCheck check = new StreamCheck(producer.attempted(), returned, inbox.received());
                    assertTrue(receivedAtCrash < check.distinct && returnedAtCrash < returned.size(),
                            "the crash came mid-stream: " + receivedAtCrash + " received, " + returnedAtCrash
                                    + " returned at the crash");
                    if (first != null) {
                        assertEquals(1, survivor.storeMembers(), "the survivor is the only store member left");
                    }
                    if (variant.equals("producer")) {
                        // the send in flight at the crash is sent again after the failover (same JMSMessageID)
                        assertEquals(List.of(), producer.failed(), producer.describeFailures());
                    }
                    StreamCheck.awaitNothingKept(List.of(survivor), group, WAIT);
                    System.out.printf("daemon crash under the %s (%d received, %d returned at the crash): %s%s%n",
                            variant, receivedAtCrash, returnedAtCrash,
                            check.counts(producer.attempted().size(), returned.size(), producer.failed().size()),
                            producer.failed().isEmpty() ? "" : "; " + producer.describeFailures()
                                    + " " + producer.failed());
                }
            }
        }
    }
}
