package org.spreadjms.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionRolledBackException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;
import org.spreadjms.jms.SpreadConnectionFactory;
import org.spreadjms.jms.store.StoredMessage;
import org.spreadjms.store.log.FsyncPolicy;

/**
 * PERSISTENT messages to a JMS queue with store members (issue 14, queues): sends with {@code storeAcks} return
 * once the message is on disk at the store members, messages sent while no consumer runs reach a consumer started
 * later (the store re-publishes them), consumed messages are deleted from the store. Real daemon, real sockets, real
 * store members on RocksDB.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StoredQueueTest {
    private static final String CONTROL = "$store.sq";
    private static final Duration RECEIVE = Duration.ofSeconds(20);
    /** After the last expected message: long enough for a duplicate to show, as the store re-publishes in SAFE. */
    private static final Duration QUIET = Duration.ofMillis(1500);

    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    @TempDir
    Path dir;

    private String url(String options) {
        return "spread://127.0.0.1:" + daemon.port() + "?storeGroup=" + CONTROL + (options.isEmpty() ? "" : "&" + options);
    }

    private StoreMemberOptions options(String name, String queue) {
        return new StoreMemberOptions(daemon.port() + "@127.0.0.1", name, dir.resolve(name),
                FsyncPolicy.defaultPolicy(), List.of("q~" + queue), CONTROL, 1, StoreClient.WAIT, 64L << 20);
    }

    private StoreMember member(String name, String queue) throws Exception {
        StoreMember m = StoreMember.start(options(name, queue));
        m.awaitServing(StoreClient.WAIT);
        return m;
    }

    /** Sends {@code n} PERSISTENT text messages "prefix-i" and returns their texts in order. */
    private List<String> send(String options, String queue, String prefix, int n) throws JMSException {
        List<String> texts = new ArrayList<>();
        try (Connection c = new SpreadConnectionFactory(url(options)).createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < n; i++) {
                String text = prefix + "-" + i;
                p.send(s.createTextMessage(text));
                texts.add(text);
            }
        }
        return texts;
    }

    /**
     * Starts a consumer, receives until {@code expected} messages (none delivered before) arrived, then checks that
     * nothing more comes.
     */
    private static List<String> consume(Connection c, String queue, int expected) throws JMSException {
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
        c.start();
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + RECEIVE.toNanos();
        while (got.size() < expected) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            assertTrue(left > 0, "received " + got.size() + " of " + expected + " within " + RECEIVE);
            Message m = consumer.receive(left);
            if (m != null) {
                assertTrue(!m.getJMSRedelivered(), "never delivered before, but marked redelivered: " + m);
                got.add(((TextMessage) m).getText());
            }
        }
        Message extra = consumer.receive(QUIET.toMillis());
        assertNull(extra, "a message more than the " + expected + " expected");
        consumer.close();
        return got;
    }

    private static void assertExactlyOnce(List<String> expected, List<String> got) {
        assertEquals(expected.size(), got.size(), "received " + got);
        assertEquals(new HashSet<>(expected), new HashSet<>(got), "each message once");
    }

    private static Set<String> storedIds(StoreMember m, String queue) throws Exception {
        m.log().barrier().get(10, TimeUnit.SECONDS);
        Set<String> ids = new HashSet<>();
        for (StoredMessage s : m.log().read("q~" + queue, 1, 100_000, Long.MAX_VALUE)) {
            ids.add(s.key().id());
        }
        return ids;
    }

    @Test
    void hundredPersistentMessagesSentWithNoConsumerAllReachAConsumerStartedLater() throws Exception {
        String queue = "sqa";
        try (StoreMember store = member("a", queue)) {
            long start = System.nanoTime();
            List<String> sent = send("storeAcks=1", queue, "a", 100);
            long sendMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(100, storedIds(store, queue).size(), "every send returned once stored");
            start = System.nanoTime();
            try (Connection c = new SpreadConnectionFactory(url("")).createConnection()) {
                assertExactlyOnce(sent, consume(c, queue, 100));
            }
            System.out.printf("100 PERSISTENT sends with storeAcks=1 (one producer, fsync batch): %d ms including"
                    + " connect; consumer started later received 100 of 100 in %d ms (with the 1.5 s quiet check)%n",
                    sendMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
    }

    @Test
    void aStoreMemberWithoutGroupsKeepsEveryQueueItsSendersAskItToAlsoAfterARestart() throws Exception {
        StoreMemberOptions noGroups = new StoreMemberOptions(daemon.port() + "@127.0.0.1", "dyn", dir.resolve("dyn"),
                FsyncPolicy.defaultPolicy(), List.of(), CONTROL, 1, StoreClient.WAIT, 64L << 20);
        List<String> first;
        try (StoreMember store = StoreMember.start(noGroups)) {
            store.awaitServing(StoreClient.WAIT);
            first = send("", "dyn.a", "a", 50); // the default storeAcks (all)
            send("", "dyn.b", "b", 5);
        }
        try (StoreMember store = StoreMember.start(noGroups)) {
            store.awaitServing(StoreClient.WAIT);
            List<String> more = send("", "dyn.a", "a2", 10); // kept from its first message on, after the restart too
            try (Connection c = new SpreadConnectionFactory(url("")).createConnection()) {
                List<String> all = new ArrayList<>(first);
                all.addAll(more);
                assertExactlyOnce(all, consume(c, "dyn.a", 60));
            }
            try (Connection c = new SpreadConnectionFactory(url("")).createConnection()) {
                assertEquals(5, consume(c, "dyn.b", 5).size());
            }
        }
    }

    @Test
    void aStoreAckSendWithoutAStoreMemberFailsAtOnceNamingTheQueueAndTheWayOut() throws Exception {
        String queue = "sqb";
        long start = System.nanoTime();
        // the default storeAcks (all)
        JMSException e = assertThrows(JMSException.class, () -> send("storeTimeout=5000", queue, "b", 1));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms < 5000, "failed after " + ms + " ms: it should not wait for storeTimeout");
        String text = e.getMessage();
        assertTrue(text.contains("no store member is running"), text);
        assertTrue(text.contains(queue) && text.contains("storeAcks=all") && text.contains("storeAcks=0"), text);
        // the opt-out: today's behaviour, no store round trip
        assertEquals(1, send("storeAcks=0", queue, "b", 1).size());
    }

    @Test
    void aStoreMemberThatDoesNotServeMakesTheSendFailAfterStoreTimeout() throws Exception {
        // replicas 3 with one member: below the quorum it never serves, so it acknowledges nothing
        try (StoreMember m = StoreMember.start(options("n", "sqn").withReplicas(3))) {
            String queue = "sqn";
            long start = System.nanoTime();
            JMSException e = assertThrows(JMSException.class,
                    () -> send("storeAcks=1&storeTimeout=700", queue, "n", 1));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(ms >= 700, "failed after " + ms + " ms, before storeTimeout");
            String text = e.getMessage();
            assertTrue(text.contains("no store member acknowledged"), text);
            assertTrue(text.contains(queue) && text.contains("700 ms") && text.contains("storeAcks=1"), text);
        }
    }

    @Test
    void messagesAConsumerReceivedButDidNotAcknowledgeComeBackMarkedRedelivered() throws Exception {
        String queue = "sqr";
        try (StoreMember store = member("r", queue)) {
            List<String> sent = send("storeAcks=1", queue, "r", 10);
            try (Connection c = new SpreadConnectionFactory(url("")).createConnection()) {
                Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
                MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
                c.start();
                for (int i = 0; i < 10; i++) {
                    Message m = consumer.receive(RECEIVE.toMillis());
                    assertTrue(m != null, "received " + i + " of 10");
                    assertTrue(!m.getJMSRedelivered(), "never delivered before: not redelivered");
                }
            } // closed without acknowledging: the queue has no consumer again and the store still has all 10
            try (Connection c = new SpreadConnectionFactory(url("")).createConnection()) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
                c.start();
                List<String> got = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    Message m = consumer.receive(RECEIVE.toMillis());
                    assertTrue(m != null, "received " + i + " of 10 again");
                    assertTrue(m.getJMSRedelivered(), "a copy of a message received before is marked redelivered");
                    assertEquals(2, m.getIntProperty("JMSXDeliveryCount"));
                    got.add(((TextMessage) m).getText());
                }
                assertExactlyOnce(sent, got);
            }
        }
    }

    @Test
    void aTransactedSessionWaitsForTheStoreAtCommit() throws Exception {
        String queue = "sqt";
        try (Connection c = new SpreadConnectionFactory(url("storeAcks=1&storeTimeout=700")).createConnection()) {
            Session s = c.createSession(Session.SESSION_TRANSACTED);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            // with no store member at all the send itself fails at once (nothing is held for the commit)
            JMSException e = assertThrows(JMSException.class,
                    () -> p.send(s.createTextMessage("t-none"), DeliveryMode.PERSISTENT, 4, 0));
            assertTrue(e.getMessage().contains("no store member is running"), e.getMessage());
            s.commit();
        }
        // a store member that does not serve (below its quorum): the commit waits, then rolls back
        try (StoreMember idle = StoreMember.start(options("ti", queue).withReplicas(3));
             Connection c = new SpreadConnectionFactory(url("storeAcks=1&storeTimeout=700")).createConnection()) {
            Session s = c.createSession(Session.SESSION_TRANSACTED);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            p.send(s.createTextMessage("t-none"), DeliveryMode.PERSISTENT, 4, 0); // held until commit: no wait
            JMSException e = assertThrows(TransactionRolledBackException.class, s::commit);
            assertTrue(e.getMessage().contains("no store member acknowledged"), e.getMessage());
        }
        try (StoreMember store = member("t", queue);
             Connection c = new SpreadConnectionFactory(url("storeAcks=1")).createConnection()) {
            Session s = c.createSession(Session.SESSION_TRANSACTED);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                TextMessage m = s.createTextMessage("t-" + i);
                p.send(m, DeliveryMode.PERSISTENT, 4, 0);
                ids.add(m.getJMSMessageID());
            }
            s.commit();
            assertTrue(ids(store, queue).containsAll(ids), "commit returned before the store had every message");
        }
    }

    @Test
    void withStoreAcksAllEachSendReturnsOnlyOnceBothStoreMembersHaveIt() throws Exception {
        String queue = "sqc";
        try (StoreMember one = member("c1", queue); StoreMember two = member("c2", queue)) {
            assertEquals(2, one.storeMembers());
            try (Connection c = new SpreadConnectionFactory(url("storeAcks=all")).createConnection()) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = s.createProducer(s.createQueue(queue));
                for (int i = 0; i < 30; i++) {
                    TextMessage m = s.createTextMessage("c-" + i);
                    p.send(m, DeliveryMode.PERSISTENT, 4, 0);
                    // read without waiting for either log: the acknowledgement came after each wrote it
                    String id = m.getJMSMessageID();
                    assertTrue(ids(one, queue).contains(id), id + " returned before store member 1 had it");
                    assertTrue(ids(two, queue).contains(id), id + " returned before store member 2 had it");
                }
            }
        }
    }

    private static Set<String> ids(StoreMember m, String queue) throws Exception {
        Set<String> ids = new HashSet<>();
        for (StoredMessage s : m.log().read("q~" + queue, 1, 100_000, Long.MAX_VALUE)) {
            ids.add(s.key().id());
        }
        return ids;
    }

    @Test
    void consumedMessagesAreDeletedSoALaterConsumerGetsNothing() throws Exception {
        String queue = "sqd";
        try (StoreMember store = member("d", queue)) {
            List<String> sent = send("storeAcks=1", queue, "d", 40);
            try (Connection c = new SpreadConnectionFactory(url("")).createConnection()) {
                assertExactlyOnce(sent, consume(c, queue, 40));
            }
            // the consumer's ACKs went out before it left the queue group, so they are applied before the cut
            // of the next consumer's arrival: nothing is re-published to it
            try (Connection c = new SpreadConnectionFactory(url("")).createConnection()) {
                assertEquals(List.of(), consume(c, queue, 0));
            }
            assertEquals(Set.of(), storedIds(store, queue), "acknowledged messages are deleted from the store");
        }
    }

    @Test
    void aStoreMemberRestartedBeforeTheConsumerStartsStillDeliversAll() throws Exception {
        String queue = "sqe";
        List<String> sent;
        try (StoreMember store = member("e", queue)) {
            sent = send("storeAcks=1", queue, "e", 100);
        }
        try (StoreMember store = member("e", queue)) {
            assertEquals(100, storedIds(store, queue).size());
            try (Connection c = new SpreadConnectionFactory(url("")).createConnection()) {
                assertExactlyOnce(sent, consume(c, queue, 100));
            }
        }
    }

    @Test
    void aConsumerAlreadyRunningGetsLiveMessagesOnceWhileTheStoreKeepsThemUntilAcknowledged() throws Exception {
        String queue = "sqg";
        try (StoreMember store = member("g", queue);
             Connection c = new SpreadConnectionFactory(url("")).createConnection()) {
            Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            c.start();
            List<String> sent = send("storeAcks=1", queue, "g", 20);
            List<String> got = new ArrayList<>();
            Message last = null;
            while (got.size() < 20) {
                last = consumer.receive(RECEIVE.toMillis());
                assertTrue(last != null, "received " + got.size() + " of 20");
                got.add(((TextMessage) last).getText());
            }
            assertExactlyOnce(sent, got);
            assertEquals(20, storedIds(store, queue).size(), "kept until acknowledged");
            last.acknowledge();
            assertNull(consumer.receive(QUIET.toMillis()));
            // a second consumer appearing on another connection does not bring them back
            try (Connection c2 = new SpreadConnectionFactory(url("")).createConnection()) {
                assertEquals(List.of(), consume(c2, queue, 0));
            }
        }
    }

    @Test
    void afterASigkillOfTheOnlyStoreMemberEveryMessageWhoseSendReturnedArrives() throws Exception {
        String queue = "sqf";
        Path data = dir.resolve("f");
        Process child = new ProcessBuilder(new File(System.getProperty("java.home"), "bin/java").getPath(), "-cp",
                System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                StoreMemberProcess.class.getName(), daemon.port() + "@127.0.0.1", "f", data.toString(), CONTROL,
                "q~" + queue).redirectErrorStream(true).start();
        List<String> returned = new ArrayList<>();
        JMSException failed = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("serving")) {
                assertTrue(child.isAlive(), "child died: " + line);
            }
            assertEquals("serving", line, "the child store member never served");
            try (Connection c = new SpreadConnectionFactory(url("storeAcks=1&storeTimeout=2000"))
                    .createConnection()) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = s.createProducer(s.createQueue(queue));
                p.setDeliveryMode(DeliveryMode.PERSISTENT);
                // a producer thread sends as fast as the store acknowledges; the member dies in the middle
                Thread killer = null;
                for (int i = 0; i < 5000 && failed == null; i++) {
                    String text = "f-" + i;
                    try {
                        p.send(s.createTextMessage(text));
                        returned.add(text);
                    } catch (JMSException e) {
                        failed = e;
                    }
                    if (returned.size() == 300 && killer == null) {
                        killer = new Thread(child::destroyForcibly, "killer");
                        killer.start(); // while the next sends are in flight
                    }
                }
                assertTrue(killer != null, "the store member was never killed");
                killer.join(10_000);
            }
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not die");
        } finally {
            child.destroyForcibly();
        }
        // in flight at the kill: no acknowledgement comes; sent once the daemon reported the member gone (a real
        // Spread daemon notices a killed client's closed socket at once): refused before it is sent
        assertTrue(failed != null && (failed.getMessage().contains("no store member acknowledged")
                        || failed.getMessage().contains("no store member is running")),
                "the first send after the kill fails: " + failed);
        try (StoreMember store = StoreMember.start(new StoreMemberOptions(daemon.port() + "@127.0.0.1", "f", data,
                FsyncPolicy.defaultPolicy(), List.of("q~" + queue), CONTROL, 1, StoreClient.WAIT, 64L << 20))) {
            store.awaitServing(StoreClient.WAIT);
            Set<String> stored = storedIds(store, queue);
            assertTrue(stored.size() >= returned.size(), stored.size() + " stored, " + returned.size() + " returned");
            try (Connection c = new SpreadConnectionFactory(url("")).createConnection()) {
                List<String> got = consume(c, queue, stored.size());
                assertEquals(stored.size(), new HashSet<>(got).size(), "no duplicate");
                Set<String> lost = new HashSet<>(returned);
                lost.removeAll(got);
                assertEquals(Set.of(), lost, "sends that returned but whose message never arrived");
                System.out.printf("SIGKILL of the only store member after %d returned sends: %d stored, %d"
                        + " delivered after restart, 0 lost%n", returned.size(), stored.size(), got.size());
            }
        }
    }
}
