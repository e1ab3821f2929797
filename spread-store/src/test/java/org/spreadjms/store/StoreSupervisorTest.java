package org.spreadjms.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spreadjms.daemon.EmbeddedSpreadSegment;
import org.spreadjms.jms.SpreadConnectionFactory;
import org.spreadjms.jms.queue.DurableSubscriptions;
import org.spreadjms.store.log.FsyncPolicy;
import org.spreadjms.store.log.StoreException;
import org.spreadjms.store.log.Tmpfs;

/**
 * A {@link StoreSupervisor} keeps a store member running over two daemons of the multi-daemon fixture:
 * {@link EmbeddedSpreadSegment#crash} ends every connection to {@code d1} and its port refuses connections from then
 * on. A member that lost its daemon is started again on the other one and catches up by state transfer; a member
 * whose disk is full is not.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StoreSupervisorTest {
    private static final String CONTROL = "$store.sv";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration QUIET = Duration.ofMillis(1500);
    private static final StoreSupervisor.Backoff FAST = new StoreSupervisor.Backoff(Duration.ofMillis(20),
            Duration.ofMillis(200));
    private static final String SUBSCRIPTION = "s";
    private static final int TOTAL = 800;
    private static final int BACKLOG = 300;
    private static final int CRASH_AT = 150;
    private static final int OFFLINE = 50;

    @TempDir
    Path dir;

    private EmbeddedSpreadSegment segment;

    private String daemon(String name) {
        return segment.port(name) + "@127.0.0.1";
    }

    private StoreMemberOptions options(String name) {
        return new StoreMemberOptions(daemon("d1"), name, dir.resolve(name), FsyncPolicy.defaultPolicy(), List.of(),
                CONTROL, 1, WAIT, 64L << 20);
    }

    private String url(String storeAcks) {
        return "spread://127.0.0.1:" + segment.port("d2") + "?storeGroup=" + CONTROL + "&storeTimeout=3000&storeAcks="
                + storeAcks;
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

    /**
     * The forwarding store member (first of the control view) is supervised on {@code d1, d2}; the other member runs
     * on {@code d2}, as do the producer and the durable subscriber. {@code d1} crashes mid-stream: the supervised
     * member comes back on {@code d2}, catches up and serves again (with {@code storeAcks=all}, every send after
     * it is back waits for its acknowledgement too); nothing is lost, nothing arrives twice unmarked, and with the
     * subscriber offline both members keep the same messages.
     */
    @ParameterizedTest(name = "storeAcks={0}")
    @ValueSource(strings = {"1", "all"})
    void theForwardingMemberComesBackOnTheOtherDaemonAfterItsDaemonCrashes(String storeAcks) throws Exception {
        String topic = "sv-" + storeAcks;
        String group = DurableSubscriptions.groupOf(topic, SUBSCRIPTION);
        segment = EmbeddedSpreadSegment.start("d1", "d2");
        try (EmbeddedSpreadSegment s = segment;
             StoreSupervisor supervisor = StoreSupervisor.start(options("ka"), List.of(daemon("d1"), daemon("d2")),
                     FAST, b -> b)) {
            StoreMember first = supervisor.awaitServing(WAIT);
            try (StoreMember other = StoreMember.start(options("kb").withDaemon(daemon("d2")))) {
                other.awaitServing(WAIT);
                ListenerInbox inbox = new ListenerInbox();
                try (ProducerLoop producer = new ProducerLoop(new PersistentTopicProducer(url(storeAcks), topic))) {
                    try (Connection c = new SpreadConnectionFactory(url(storeAcks)).createConnection()) {
                        c.setClientID(topic);
                        Session session = c.createSession(Session.AUTO_ACKNOWLEDGE);
                        session.createDurableConsumer(session.createTopic(topic), SUBSCRIPTION).close();
                        producer.allow(BACKLOG);
                        assertTrue(producer.awaitIdle(WAIT), producer.describeFailures());
                        MessageConsumer consumer = durableConsumer(session, topic);
                        consumer.setMessageListener(inbox::add);
                        c.start();
                        producer.allow(TOTAL);
                        assertTrue(inbox.awaitCount(CRASH_AT, WAIT), "received " + inbox.size());
                        int receivedAtCrash = inbox.size();
                        int returnedAtCrash = producer.returned().size();
                        segment.crash("d1");

                        String why = first.failure().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                        assertTrue(why.contains("connection to the daemon was lost"), why);
                        assertEquals(StoreMember.FailureCause.CONNECTION_LOST, first.failureCause(), why);
                        StoreMember back = supervisor.awaitServing(WAIT);
                        assertNotSame(first, back, "a new member was started");
                        assertEquals(daemon("d2"), back.options().daemon());
                        assertEquals(first.privateGroup().substring(0, first.privateGroup().indexOf('#', 1)),
                                back.privateGroup().substring(0, back.privateGroup().indexOf('#', 1)),
                                "the same private name");
                        assertEquals(2, supervisor.starts());
                        awaitStoreMembers(List.of(back, other), 2);

                        assertTrue(producer.awaitIdle(WAIT), producer.describeFailures());
                        List<String> returned = producer.returned();
                        assertTrue(inbox.awaitAll(returned, WAIT), "returned sends not received: "
                                + returned.stream().filter(t -> !inbox.texts().contains(t)).limit(20).toList());
                        inbox.awaitQuiet(QUIET, WAIT);
                        StreamCheck check = new StreamCheck(producer.attempted(), returned, inbox.received());
                        assertTrue(receivedAtCrash < check.distinct && returnedAtCrash < returned.size(),
                                "the crash came mid-stream: " + receivedAtCrash + " received, " + returnedAtCrash
                                        + " returned at the crash");
                        StreamCheck.awaitNothingKept(List.of(back, other), group, WAIT);
                        System.out.printf("supervised forwarder, storeAcks=%s (%d received, %d returned at the"
                                        + " crash; back on d2 after %d attempt(s)): %s%n", storeAcks, receivedAtCrash,
                                returnedAtCrash, supervisor.attempts(), check.counts(producer.attempted().size(),
                                        returned.size(), producer.failed().size()));
                    }
                    // the subscriber is offline: what is sent now stays, on both members alike
                    int before = producer.returned().size();
                    producer.allow(TOTAL + OFFLINE);
                    assertTrue(producer.awaitIdle(WAIT), producer.describeFailures());
                    assertEquals(List.of(), producer.failed(), producer.describeFailures());
                    assertEquals(before + OFFLINE, producer.returned().size());
                    StoreMember back = supervisor.member();
                    List<String> kept = awaitSameContents(back, other, group, OFFLINE);
                    assertEquals(OFFLINE, kept.size(), kept.toString());
                    assertTrue(back.isServing() && supervisor.isServing(), "the member that came back serves");
                }
            }
        }
    }

    /** A member whose disk fills up fails, and the supervisor does not start it again. */
    @Test
    void aMemberWhoseDiskIsFullIsNotRestarted() throws Exception {
        segment = EmbeddedSpreadSegment.start("d1", "d2");
        try (EmbeddedSpreadSegment s = segment; Tmpfs tmpfs = Tmpfs.mount(dir.resolve("tmpfs"), 16)) {
            StoreMemberOptions o = new StoreMemberOptions(daemon("d1"), "kf", tmpfs.path().resolve("log"),
                    FsyncPolicy.always(), List.of("svfull"), CONTROL, 1, WAIT, 64L << 20);
            try (StoreSupervisor supervisor = StoreSupervisor.start(o, List.of(daemon("d1"), daemon("d2")), FAST,
                    b -> b);
                 StoreClient client = new StoreClient(segment.port("d1"), "pf")) {
                StoreMember member = supervisor.awaitServing(WAIT);
                tmpfs.fill(tmpfs.path().resolve("filler"));
                long deadline = System.nanoTime() + WAIT.toNanos();
                for (int i = 0; !member.failure().isDone() && i < 100_000; i++) {
                    assertTrue(System.nanoTime() < deadline, "the log did not fail within " + WAIT);
                    client.send("svfull", "f-" + i);
                    if (i % 50 == 49) {
                        // let the log catch up with what was sent, bounded
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                    }
                }
                String why = supervisor.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertEquals(StoreMember.FailureCause.LOG, member.failureCause(), member.failure().getNow(null));
                assertTrue(why.contains("is not restarted") && why.contains("disk is full"), why);
                assertEquals(1, supervisor.starts(), "no member started after the disk failure");
                assertEquals(null, supervisor.member());
                StoreException e = assertThrows(StoreException.class, () -> supervisor.awaitServing(WAIT));
                assertTrue(e.getMessage().contains("ended"), e.getMessage());
            }
        }
    }

    /** The first daemon of the list is down: the supervisor goes on to the next one, which takes the member. */
    @Test
    void aDaemonThatIsDownIsSkippedForTheNextOne() throws Exception {
        segment = EmbeddedSpreadSegment.start("d1", "d2");
        try (EmbeddedSpreadSegment s = segment) {
            segment.crash("d1");
            try (StoreSupervisor supervisor = StoreSupervisor.start(options("kd"), List.of(daemon("d1"),
                    daemon("d2")), FAST, b -> b)) {
                StoreMember m = supervisor.awaitServing(WAIT);
                assertEquals(daemon("d2"), m.options().daemon());
                assertTrue(supervisor.attempts() >= 2, "attempts: " + supervisor.attempts());
                assertEquals(1, supervisor.starts());
            }
        }
    }

    private static void awaitStoreMembers(List<StoreMember> members, int n) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!members.stream().allMatch(m -> m.storeMembers() == n)) {
            assertTrue(System.nanoTime() < deadline, "store members in view: " + members.stream()
                    .map(StoreMember::storeMembers).toList());
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // views have no hook here: poll, bounded
        }
    }

    /** Waits until both members keep the same {@code n} messages of {@code group}; returns them. */
    private static List<String> awaitSameContents(StoreMember a, StoreMember b, String group, int n)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            a.log().barrier().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            b.log().barrier().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            List<String> ka = StoreClient.contents(a.log(), group);
            List<String> kb = StoreClient.contents(b.log(), group);
            if (ka.equals(kb) && ka.size() == n) {
                return ka;
            }
            assertTrue(System.nanoTime() < deadline, a.privateGroup() + " keeps " + ka.size() + ", "
                    + b.privateGroup() + " keeps " + kb.size() + "; first differences: " + ka.stream()
                    .filter(x -> !kb.contains(x)).limit(5).toList() + " / " + kb.stream()
                    .filter(x -> !ka.contains(x)).limit(5).toList());
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // deletes have no hook: poll, bounded
        }
    }
}
