package org.spreadjms.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spreadjms.daemon.EmbeddedSpreadSegment;
import org.spreadjms.jms.SpreadConnectionFactory;
import org.spreadjms.jms.queue.DurableSubscriptions;
import org.spreadjms.store.ListenerInbox.Received;
import org.spreadjms.store.log.FsyncPolicy;

/**
 * A durable subscription across a partition of its store members (issue 14): three store members with the quorum
 * rule ({@code replicas} = 3), one on each of three daemons of the multi-daemon fixture, a producer sending
 * PERSISTENT messages with the default {@code storeAcks=all} on its own thread, and the segment split 2 | 1 and
 * merged while the sends go on. The store member on {@code d1} is the first of the control view, so it forwards the
 * subscription's messages while it serves.
 *
 * <ul>
 *   <li>{@code forwarder-isolated}: {@code d1} is cut off (the forwarding member on the minority side); the
 *       subscriber, on {@code d3}, stays online on the majority side;</li>
 *   <li>{@code subscriber-isolated}: {@code d3} is cut off with the subscriber on it, online;</li>
 *   <li>{@code subscriber-offline}: {@code d1} is cut off; the subscriber closed before the partition and comes back
 *       after the merge, on {@code d1}.</li>
 * </ul>
 *
 * <p>Asserted: every message whose send returned reaches the subscriber, first copies in send order, every further
 * copy marked JMSRedelivered; on the minority side the store member stops serving and a PERSISTENT send there fails
 * after {@code storeTimeout} (its message is never delivered); after the merge the minority member serves again with
 * the majority's state, and once the subscriber has acknowledged everything no member keeps anything for it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DurablePartitionTest {
    private static final String CONTROL = "$store.dp";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration QUIET = Duration.ofMillis(1500);
    private static final Duration MINORITY_TIMEOUT = Duration.ofMillis(1500);
    private static final String SUBSCRIPTION = "d";
    /** The producer's storeTimeout: a send in flight at the partition may wait for a member on the other side. */
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private EmbeddedSpreadSegment segment;

    private String url(String daemon, Duration storeTimeout) {
        return "spread://127.0.0.1:" + segment.port(daemon) + "?storeGroup=" + CONTROL + "&storeTimeout="
                + storeTimeout.toMillis();
    }

    private StoreMember member(String daemon, String name) throws Exception {
        return StoreMember.start(new StoreMemberOptions(segment.port(daemon) + "@127.0.0.1", name, dir.resolve(name),
                FsyncPolicy.defaultPolicy(), List.of(), CONTROL, 1, WAIT, 64L << 20, 3));
    }

    /** A started connection with a durable consumer of the subscription whose messages go to {@code inbox}. */
    private Connection subscriber(String daemon, String clientId, String topic, ListenerInbox inbox)
            throws JMSException {
        Connection c = new SpreadConnectionFactory(url(daemon, Duration.ofSeconds(10))).createConnection();
        try {
            c.setClientID(clientId);
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = durableConsumer(s, topic);
            consumer.setMessageListener(inbox::add);
            c.start();
            return c;
        } catch (JMSException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** While the store members still count a closed consumer as attached, they refuse another: retried. */
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
    @ValueSource(strings = {"forwarder-isolated", "subscriber-isolated", "subscriber-offline"})
    void aDurableSubscriberGetsEveryReturnedSendAcrossAPartitionOfItsStoreMembers(String variant) throws Exception {
        boolean isolateD1 = !variant.equals("subscriber-isolated");
        String minorityDaemon = isolateD1 ? "d1" : "d3";
        String producerDaemon = isolateD1 ? "d2" : "d1";
        String subscriberDaemon = variant.equals("subscriber-offline") ? "d2" : "d3";
        String topic = "dp-" + variant.charAt(0) + variant.charAt(variant.length() - 1);
        String clientId = topic;
        String group = DurableSubscriptions.groupOf(clientId, SUBSCRIPTION);
        segment = EmbeddedSpreadSegment.start("d1", "d2", "d3");
        try (EmbeddedSpreadSegment s = segment; StoreMember a = member("d1", "pa"); StoreMember b = member("d2", "pb");
             StoreMember c = member("d3", "pc")) {
            List<StoreMember> members = List.of(a, b, c);
            for (StoreMember m : members) {
                m.awaitServing(WAIT);
            }
            StoreMember minority = isolateD1 ? a : c;
            List<Received> got = new ArrayList<>();
            ListenerInbox first = new ListenerInbox();
            Connection firstConnection = subscriber(subscriberDaemon, clientId, topic, first);
            ProducerLoop producer = new ProducerLoop(new PersistentTopicProducer(url(producerDaemon, SEND_TIMEOUT),
                    topic));
            ListenerInbox second = null;
            try (producer) {
                producer.allow(200);
                if (variant.equals("subscriber-offline")) {
                    assertTrue(first.awaitCount(100, WAIT), "the first subscriber received " + first.size());
                    firstConnection.close();
                }
                assertTrue(producer.awaitReturned(150, WAIT), "before the partition: " + producer.describeFailures());
                segment.partition(isolateD1 ? Set.of("d1") : Set.of("d1", "d2"),
                        isolateD1 ? Set.of("d2", "d3") : Set.of("d3"));
                String refused = sendOnTheMinoritySide(minorityDaemon, topic);
                assertFalse(minority.isServing(), "the minority member does not serve");
                producer.allow(450);
                assertTrue(producer.awaitReturned(300, WAIT), "during the partition: " + producer.describeFailures());
                segment.merge();
                producer.allow(600);
                minority.awaitServing(WAIT);
                assertTrue(producer.awaitIdle(WAIT), "after the merge: " + producer.describeFailures());
                if (variant.equals("subscriber-offline")) {
                    second = new ListenerInbox();
                    firstConnection = subscriber("d1", clientId, topic, second);
                }
                ListenerInbox last = second == null ? first : second;
                List<String> returned = producer.returned();
                List<String> expected = second == null ? returned
                        : returned.stream().filter(t -> !first.texts().contains(t)).toList();
                assertTrue(last.awaitAll(expected, WAIT), "returned sends not received: " + expected.stream()
                        .filter(t -> !last.texts().contains(t)).limit(20).toList());
                last.awaitQuiet(QUIET, WAIT);
                got.addAll(first.received());
                if (second != null) {
                    got.addAll(second.received());
                }
                assertTrue(got.stream().noneMatch(r -> r.text().equals(refused)), "the send refused on the"
                        + " minority side was delivered");
                StreamCheck check = new StreamCheck(producer.attempted(), returned, got);
                StreamCheck.awaitNothingKept(members, group, WAIT);
                System.out.printf("durable subscription, partition 2|1 (%s, minority %s): %s; minority send"
                                + " failed after %d ms and was not delivered%n", variant, minorityDaemon,
                        check.counts(producer.attempted().size(), returned.size(), producer.failed().size()),
                        MINORITY_TIMEOUT.toMillis());
            } finally {
                firstConnection.close();
            }
        }
    }

    /**
     * The forwarding member is cut off; the member that forwards on the majority side meanwhile hands 20 messages to
     * a CLIENT_ACKNOWLEDGE subscriber that closes without acknowledging them; after the merge the cut-off member is
     * the first of the view again and forwards once it has the majority's state. It cannot know what the other one
     * forwarded, so the subscriber that attaches next must get those 20 marked JMSRedelivered (the application had
     * them before).
     */
    @Test
    void aMemberThatForwardsAgainAfterTheMergeMarksWhatTheOtherSideForwarded() throws Exception {
        String topic = "dp-marks";
        segment = EmbeddedSpreadSegment.start("d1", "d2", "d3");
        try (EmbeddedSpreadSegment s = segment; StoreMember a = member("d1", "ma"); StoreMember b = member("d2", "mb");
             StoreMember c = member("d3", "mc");
             PersistentTopicProducer producer = new PersistentTopicProducer(url("d2", SEND_TIMEOUT), topic)) {
            for (StoreMember m : List.of(a, b, c)) {
                m.awaitServing(WAIT);
            }
            try (Connection first = new SpreadConnectionFactory(url("d3", WAIT)).createConnection()) {
                first.setClientID(topic);
                Session session = first.createSession(Session.CLIENT_ACKNOWLEDGE);
                MessageConsumer consumer = durableConsumer(session, topic);
                first.start();
                sendAll(producer, "before-", 10);
                receive(consumer, "before-", 10, false).acknowledge();
                segment.partition(Set.of("d1"), Set.of("d2", "d3"));
                sendAll(producer, "during-", 20);
                receive(consumer, "during-", 20, false); // handed to the application, never acknowledged
            }
            segment.merge();
            a.awaitServing(WAIT);
            try (Connection second = new SpreadConnectionFactory(url("d2", WAIT)).createConnection()) {
                second.setClientID(topic);
                Session session = second.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = durableConsumer(session, topic);
                second.start();
                receive(consumer, "during-", 20, true);
                sendAll(producer, "after-", 5);
                receive(consumer, "after-", 5, false);
                Message extra = consumer.receive(QUIET.toMillis());
                assertNull(extra, "a message more");
            }
        }
    }

    private static void sendAll(PersistentTopicProducer producer, String prefix, int n) throws JMSException {
        for (int i = 0; i < n; i++) {
            assertTrue(producer.send(prefix + i), prefix + i + ": " + producer.firstFailure);
        }
    }

    /** Receives {@code prefix0..n-1} in order, each marked redelivered or not as said; returns the last. */
    private static Message receive(MessageConsumer consumer, String prefix, int n, boolean redelivered)
            throws JMSException {
        Message m = null;
        for (int i = 0; i < n; i++) {
            m = consumer.receive(WAIT.toMillis());
            assertTrue(m != null, "no " + prefix + i);
            assertEquals(prefix + i, ((TextMessage) m).getText());
            assertEquals(redelivered, m.getJMSRedelivered(), prefix + i + (redelivered
                    ? " was handed to the application before: it must come marked JMSRedelivered"
                    : " is marked JMSRedelivered"));
        }
        return m;
    }

    /**
     * A PERSISTENT send on the minority side (the default {@code storeAcks=all}): its store member is in the
     * presence view but does not serve, so nothing acknowledges it and the send fails after {@code storeTimeout}.
     *
     * @return the text of the refused message
     */
    private String sendOnTheMinoritySide(String daemon, String topic) throws JMSException {
        String text = "minority-" + daemon;
        try (Connection c = new SpreadConnectionFactory(url(daemon, MINORITY_TIMEOUT)).createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createTopic(topic));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            long start = System.nanoTime();
            JMSException e = assertThrows(JMSException.class, () -> p.send(s.createTextMessage(text)),
                    "a PERSISTENT send on the minority side returned");
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(e.getMessage().contains("no store member acknowledged"), e.getMessage());
            assertTrue(took >= MINORITY_TIMEOUT.toMillis() - 50, "failed after " + took + " ms: " + e.getMessage());
        }
        return text;
    }
}
