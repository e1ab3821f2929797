package org.spreadjms.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadListener;
import org.spreadjms.client.SpreadOptions;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;
import org.spreadjms.jms.SpreadConnectionFactory;
import org.spreadjms.jms.message.MessageEnvelope;
import org.spreadjms.jms.queue.QueueControl;
import org.spreadjms.jms.queue.QueueControlCodec;
import org.spreadjms.jms.store.StoredMessage;
import org.spreadjms.store.log.FsyncPolicy;

/**
 * Stored messages that nobody holds reach the consumers of a queue that is already running (docs/store-protocol.md,
 * "Replay"; docs/queue-protocol.md, rule 8): after the only store member was killed (SIGKILL, child JVM) and
 * restarted while consumers kept running, and after a consumer that alone held messages was killed while consumers
 * that joined later keep running. Each message arrives once; copies of what a running consumer holds are not
 * delivered again. Real daemon, real sockets, real store members on RocksDB.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QueueReplayTest {
    private static final String CONTROL = "$store.rp";
    private static final Duration RECEIVE = Duration.ofSeconds(20);
    /** After the last expected message: long enough for a duplicate to show (the store re-publishes in SAFE). */
    private static final Duration QUIET = Duration.ofMillis(2000);
    private static final Duration CHILD = Duration.ofSeconds(30);

    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    @TempDir
    Path dir;

    private String url(String options) {
        return "spread://127.0.0.1:" + daemon.port() + "?storeGroup=" + CONTROL
                + (options.isEmpty() ? "" : "&" + options);
    }

    private StoreMember member(String name, String queue) throws Exception {
        StoreMember m = StoreMember.start(new StoreMemberOptions(daemon.port() + "@127.0.0.1", name,
                dir.resolve(name), FsyncPolicy.defaultPolicy(), List.of("q~" + queue), CONTROL, 1, StoreClient.WAIT,
                64L << 20));
        m.awaitServing(StoreClient.WAIT);
        return m;
    }

    /** The only store member, in a child JVM (on {@code dir/name}, as {@link #member} uses), serving. */
    private ChildJvm childMember(String name, String queue) throws Exception {
        ChildJvm child = ChildJvm.start(StoreMemberProcess.class, daemon.port() + "@127.0.0.1", name,
                dir.resolve(name).toString(), CONTROL, "q~" + queue);
        assertTrue(child.awaitLine("serving", CHILD), "the child store member never served: " + child.output());
        return child;
    }

    private static void sigkill(ChildJvm child) throws InterruptedException {
        child.kill();
        assertTrue(child.awaitEnd(CHILD), "the child did not die");
    }

    /** Sends {@code n} PERSISTENT text messages "prefix-i" with storeAcks=1 (each on disk when send returns). */
    private List<String> send(String queue, String prefix, int n) throws JMSException {
        List<String> texts = new ArrayList<>();
        try (Connection c = new SpreadConnectionFactory(url("storeAcks=1")).createConnection()) {
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

    /** A running consumer on its own connection, with a listener; CLIENT_ACKNOWLEDGE ones acknowledge on demand. */
    private final class Consumer implements AutoCloseable {
        final Connection connection;
        final ListenerInbox inbox = new ListenerInbox();
        final AtomicReference<Message> last = new AtomicReference<>();

        Consumer(String queue, int ackMode) throws JMSException {
            connection = new SpreadConnectionFactory(url("")).createConnection();
            Session s = connection.createSession(ackMode);
            MessageConsumer c = s.createConsumer(s.createQueue(queue)); // returns once in the queue's group
            c.setMessageListener(m -> {
                last.set(m);
                inbox.add(m);
            });
            connection.start();
        }

        /** CLIENT_ACKNOWLEDGE: acknowledges everything received so far. */
        void acknowledgeAll() throws JMSException {
            last.get().acknowledge();
        }

        @Override
        public void close() throws JMSException {
            connection.close();
        }
    }

    /** Every text received by {@code consumers}, with how often. */
    private static Map<String, Integer> counts(List<ListenerInbox.Received> received) {
        Map<String, Integer> n = new HashMap<>();
        received.forEach(r -> n.merge(r.text(), 1, Integer::sum));
        return n;
    }

    private static List<ListenerInbox.Received> all(Consumer... consumers) {
        List<ListenerInbox.Received> out = new ArrayList<>();
        for (Consumer c : consumers) {
            out.addAll(c.inbox.received());
        }
        return out;
    }

    /** Waits until {@code consumers} together received every text of {@code expected}. */
    private static void awaitAll(List<String> expected, Consumer... consumers) throws InterruptedException {
        long deadline = System.nanoTime() + RECEIVE.toNanos();
        Set<String> missing = new HashSet<>(expected);
        for (int turn = 0; ; turn++) {
            missing.removeAll(counts(all(consumers)).keySet());
            if (missing.isEmpty()) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, missing.size() + " of " + expected.size()
                    + " never arrived at the running consumers, e.g. " + missing.iterator().next());
            // wakes when the consumer has them all, or after 50 ms to look at the others
            consumers[turn % consumers.length].inbox.awaitAll(List.copyOf(missing), Duration.ofMillis(50));
        }
    }

    private static void awaitQuiet(Consumer... consumers) throws InterruptedException {
        for (Consumer c : consumers) {
            c.inbox.awaitQuiet(QUIET, RECEIVE);
        }
    }

    private static void assertEachOnce(List<String> expected, Consumer... consumers) {
        Map<String, Integer> counts = counts(all(consumers));
        assertEquals(new HashSet<>(expected), counts.keySet(), "the messages received");
        counts.forEach((text, n) -> assertEquals(1, n, text + " received " + n + " times"));
    }

    private static void awaitEmpty(StoreMember store, String queue) throws Exception {
        long deadline = System.nanoTime() + RECEIVE.toNanos();
        while (true) {
            store.log().barrier().get(10, TimeUnit.SECONDS);
            List<StoredMessage> left = store.log().read("q~" + queue, 1, 1000, Long.MAX_VALUE);
            if (left.isEmpty()) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, left.size() + " messages still stored, acknowledged?");
            Thread.onSpinWait();
        }
    }

    private static Set<String> gotBy(ChildJvm consumer) {
        Set<String> got = new HashSet<>();
        for (String line : consumer.lines()) {
            if (line.startsWith("got ")) {
                got.add(line.split(" ")[1]);
            }
        }
        return got;
    }

    @Test
    void aRunningConsumerGetsWhatTheOnlyStoreMemberKeptWhenItComesBackAfterASigkill() throws Exception {
        String queue = "rpa";
        List<String> early;
        try (ChildJvm store = childMember("a", queue)) {
            early = send(queue, "early", 30); // no consumer yet: only the store member has them
            sigkill(store);
        }
        try (Consumer c = new Consumer(queue, Session.AUTO_ACKNOWLEDGE)) {
            // the consumer runs; nobody re-publishes while no store member runs
            try (StoreMember store = member("a", queue)) {
                awaitAll(early, c); // without being restarted
                List<String> live = send(queue, "live", 20);
                awaitAll(live, c);
                awaitQuiet(c);
                List<String> expected = new ArrayList<>(early);
                expected.addAll(live);
                assertEachOnce(expected, c);
                for (ListenerInbox.Received r : c.inbox.received()) {
                    // the restarted member cannot know whether a consumer had them before: marked, conservatively
                    assertEquals(r.text().startsWith("early"), r.redelivered(), r.text());
                }
                awaitEmpty(store, queue);
            }
        }
    }

    @Test
    void consumersThatJoinedLateGetWhatAKilledConsumerAloneHeld() throws Exception {
        String queue = "rpb";
        try (StoreMember store = member("b", queue);
             ChildJvm a = ChildJvm.start(QueueConsumerProcess.class, url(""), queue)) {
            assertTrue(a.awaitLine("ready", CHILD), a.output());
            List<String> early = send(queue, "early", 20);
            // a alone is in the queue's group: it alone holds them (received, never acknowledged)
            assertTrue(a.awaitLines(l -> l.stream().filter(x -> x.startsWith("got early-")).count() == 20, CHILD),
                    a.output());
            try (Consumer b1 = new Consumer(queue, Session.AUTO_ACKNOWLEDGE);
                 Consumer b2 = new Consumer(queue, Session.AUTO_ACKNOWLEDGE)) {
                List<String> late = send(queue, "late", 30); // a, b1 and b2 all hold these
                long deadline = System.nanoTime() + RECEIVE.toNanos();
                while (true) { // until each late one reached its assignee (a's share: held by all three)
                    Set<String> seen = gotBy(a);
                    seen.addAll(counts(all(b1, b2)).keySet());
                    if (seen.containsAll(late)) {
                        break;
                    }
                    assertTrue(System.nanoTime() < deadline, "late messages missing: " + seen);
                    int lines = a.lines().size();
                    a.awaitLines(l -> l.size() > lines, Duration.ofMillis(50));
                }
                sigkill(a);
                // b1 and b2 redeliver a's share of the late ones (queue protocol, rule 4); the early ones nobody
                // holds any more: the store member offers them, b1 and b2 decide together who takes each
                List<String> expected = new ArrayList<>(early);
                expected.addAll(late);
                awaitAll(expected, b1, b2);
                awaitQuiet(b1, b2);
                assertEachOnce(expected, b1, b2);
                Set<String> gotByA = gotBy(a);
                assertTrue(gotByA.containsAll(early), "a received every early message: " + gotByA);
                for (ListenerInbox.Received r : all(b1, b2)) {
                    if (gotByA.contains(r.text())) {
                        assertTrue(r.redelivered(), r.text() + " was received by the killed consumer: redelivered");
                    }
                }
                awaitEmpty(store, queue);
            }
        }
    }

    @Test
    void copiesOfWhatRunningConsumersHoldAreNotDeliveredAgainWhenTheStoreMemberRestarts() throws Exception {
        String queue = "rpc";
        List<String> early;
        try (ChildJvm store = childMember("c", queue)) {
            early = send(queue, "early", 20);
            sigkill(store);
        }
        try (Consumer c1 = new Consumer(queue, Session.CLIENT_ACKNOWLEDGE);
             Consumer c2 = new Consumer(queue, Session.CLIENT_ACKNOWLEDGE)) {
            List<String> expected = new ArrayList<>(early);
            try (StoreMember store = member("c", queue)) {
                // two candidates: every copy is decided by both members' answers
                awaitAll(early, c1, c2);
                expected.addAll(send(queue, "live", 20));
                awaitAll(expected, c1, c2);
                awaitQuiet(c1, c2);
                assertEachOnce(expected, c1, c2);
                assertTrue(!c1.inbox.received().isEmpty() && !c2.inbox.received().isEmpty(), "both took some");
            }
            // the consumers hold all 40 (nothing acknowledged); the store member comes back and offers them all
            try (CopyWatcher watcher = new CopyWatcher(queue);
                 StoreMember store = member("c", queue)) {
                watcher.awaitHolds(expected.size());
                awaitQuiet(c1, c2);
                assertEachOnce(expected, c1, c2);
                assertTrue(watcher.copies.get() >= expected.size(), watcher.copies + " copies seen");
                c1.acknowledgeAll();
                c2.acknowledgeAll();
                awaitEmpty(store, queue);
            }
        }
    }

    @Test
    void whenTheRepublishingStoreMemberIsKilledMidPassTheOtherOneFinishesIt() throws Exception {
        String queue = "rpd";
        // "#$sta1..." comes before "#$stb2..." in the views: the child is the first member, the re-publisher
        try (ChildJvm first = childMember("a1", queue); StoreMember second = member("b2", queue)) {
            assertEquals(2, second.storeMembers());
            List<String> stored = new ArrayList<>();
            try (Connection c = new SpreadConnectionFactory(url("storeAcks=all")).createConnection()) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = s.createProducer(s.createQueue(queue));
                p.setDeliveryMode(DeliveryMode.PERSISTENT);
                for (int i = 0; i < 1200; i++) {
                    p.send(s.createTextMessage("d-" + i));
                    stored.add("d-" + i);
                }
            }
            try (Consumer c = new Consumer(queue, Session.CLIENT_ACKNOWLEDGE)) {
                // the first member re-publishes 1,000 and waits for their ACK, which this consumer never sends
                long deadline = System.nanoTime() + RECEIVE.toNanos();
                while (c.inbox.size() < QueueReplay.WINDOW) {
                    assertTrue(System.nanoTime() < deadline, c.inbox.size() + " received");
                    c.inbox.awaitAll(stored, Duration.ofMillis(50));
                }
                sigkill(first);
                // the second member becomes the re-publisher: the consumer holds 1,000 (it answers HOLDS), takes
                // the 200 others
                awaitAll(stored, c);
                awaitQuiet(c);
                assertEachOnce(stored, c);
                c.inbox.received().forEach(r -> assertTrue(!r.redelivered(), r.text() + " marked redelivered"));
                c.acknowledgeAll();
                awaitEmpty(second, queue);
            }
        }
    }

    /**
     * Watches a queue group as a store member does (its private name starts {@code $st}, so it is never a
     * candidate): counts the copies store members re-publish and the ids the queue members answer HOLDS for.
     */
    private final class CopyWatcher implements AutoCloseable {
        final SpreadConnection connection;
        final AtomicInteger copies = new AtomicInteger();
        final Set<String> held = new HashSet<>();

        CopyWatcher(String queue) throws Exception {
            connection = SpreadConnection.connect(SpreadOptions.builder().daemon("127.0.0.1", daemon.port())
                    .privateName("$stwatch").build());
            connection.addListener(new SpreadListener() {
                @Override
                public void onMessage(DataMessage m) {
                    if (m.messType() == MessageEnvelope.MESS_TYPE && m.sender().startsWith("#$st")) {
                        copies.incrementAndGet();
                    } else if (m.messType() == QueueControlCodec.MESS_TYPE) {
                        QueueControl c = QueueControlCodec.decode(m.data());
                        if (c.kind() == QueueControl.Kind.HOLDS) {
                            synchronized (held) {
                                held.addAll(c.ids());
                                held.notifyAll();
                            }
                        }
                    }
                }
            });
            connection.join("q~" + queue, StoreClient.WAIT);
        }

        void awaitHolds(int n) throws InterruptedException {
            long deadline = System.nanoTime() + RECEIVE.toNanos();
            synchronized (held) {
                while (held.size() < n) {
                    long left = deadline - System.nanoTime();
                    assertTrue(left > 0, "HOLDS answers for " + held.size() + " of " + n + " ids");
                    TimeUnit.NANOSECONDS.timedWait(held, left);
                }
            }
        }

        @Override
        public void close() {
            connection.disconnect();
        }
    }
}
