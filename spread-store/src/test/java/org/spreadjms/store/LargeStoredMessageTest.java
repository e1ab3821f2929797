package org.spreadjms.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.spreadjms.client.DaemonLimits;
import org.spreadjms.client.ServiceType;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;
import org.spreadjms.jms.SpreadConnectionFactory;
import org.spreadjms.jms.provider.Fragment;
import org.spreadjms.jms.store.PersistentMessages;
import org.spreadjms.jms.store.StoredMessage;
import org.spreadjms.store.log.FsyncPolicy;

/**
 * PERSISTENT messages larger than one Spread message (sent in fragments) are stored like any other (issue 14): kept
 * whole, once, by their JMSMessageID, for a queue with no consumer, for an offline durable subscriber, shown to a
 * browser, and carried to a late store member by state transfer; they come back out in fragments and arrive intact.
 * Real daemon, real sockets, real store members on RocksDB.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LargeStoredMessageTest {
    private static final String CONTROL = "$store.lg";
    private static final Duration RECEIVE = Duration.ofSeconds(30);
    private static final Duration QUIET = Duration.ofMillis(1500);
    private static final int ONE_SPREAD_MESSAGE = DaemonLimits.SPREAD4_MAX_FRAME_BYTES;
    /** Sizes of application bodies: tiny, 2 MB, just above and just below one Spread message, 300 KB, tiny. */
    private static final int[] MIXED = {10, 2 << 20, ONE_SPREAD_MESSAGE + 1, ONE_SPREAD_MESSAGE - 2000, 300_000, 5};

    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    @TempDir
    Path dir;

    private String url(String options) {
        return "spread://127.0.0.1:" + daemon.port() + "?storeGroup=" + CONTROL + "&storeTimeout=15000"
                + (options.isEmpty() ? "" : "&" + options);
    }

    private StoreMember member(String name, List<String> destinations) throws Exception {
        StoreMember m = StoreMember.start(new StoreMemberOptions(daemon.port() + "@127.0.0.1", name,
                dir.resolve(name), FsyncPolicy.defaultPolicy(), destinations, CONTROL, 1, StoreClient.WAIT,
                64L << 20));
        try {
            m.awaitServing(StoreClient.WAIT);
        } catch (Exception e) {
            m.close(); // so that the next test can use the name
            throw e;
        }
        return m;
    }

    private static byte[] body(int index, int size) {
        byte[] b = new byte[size];
        new Random(31L * index + size).nextBytes(b);
        return b;
    }

    /** Sends one PERSISTENT BytesMessage per size (property "i" its index) and returns their JMSMessageIDs. */
    private static List<String> send(Session s, MessageProducer p, int[] sizes) throws JMSException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(body(i, sizes[i]));
            m.setIntProperty("i", i);
            p.send(m, DeliveryMode.PERSISTENT, 4, 0);
            ids.add(m.getJMSMessageID());
        }
        return ids;
    }

    /** Receives {@code sizes.length} messages, checks each body against what was sent, in order; then nothing more. */
    private static void receiveIntact(MessageConsumer consumer, int[] sizes) throws JMSException {
        long deadline = System.nanoTime() + RECEIVE.toNanos();
        for (int i = 0; i < sizes.length; i++) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            assertTrue(left > 0, "received " + i + " of " + sizes.length + " within " + RECEIVE);
            Message m = consumer.receive(left);
            assertTrue(m != null, "received " + i + " of " + sizes.length + " within " + RECEIVE);
            assertEquals(i, m.getIntProperty("i"), "in the order sent");
            assertArrayEquals(body(i, sizes[i]), m.getBody(byte[].class), "message " + i + " (" + sizes[i]
                    + " bytes) intact");
        }
        assertNull(consumer.receive(QUIET.toMillis()), "a message more than the " + sizes.length + " sent");
    }

    /** The stored messages of {@code destination}, all of them. */
    private static List<StoredMessage> stored(StoreMember m, String destination) throws Exception {
        return m.log().read(destination, 1, 10_000, Long.MAX_VALUE);
    }

    /** Checks that the log holds exactly these messages, whole, once each, keyed by their JMSMessageID. */
    private static void assertStoredWhole(StoreMember m, String destination, List<String> ids, int[] sizes)
            throws Exception {
        List<StoredMessage> log = stored(m, destination);
        assertEquals(ids.size(), log.size(), "one log entry per message, fragments or not: " + log);
        for (int i = 0; i < ids.size(); i++) {
            StoredMessage s = log.get(i);
            assertEquals(ids.get(i), s.key().id());
            assertEquals(PersistentMessages.JMS_SENDER, s.key().sender());
            assertEquals(PersistentMessages.JMS_ENVELOPE, s.messType(), "the whole envelope, not a fragment");
            assertTrue(s.payload().length > sizes[i], "the whole " + sizes[i] + " bytes are in the entry, "
                    + s.payload().length + " stored");
        }
    }

    @Test
    void aTwoMegabyteMessageWaitsInTheStoreForAConsumerStartedLater() throws Exception {
        String queue = "lq";
        try (StoreMember store = member("a", List.of("q~" + queue))) {
            List<String> ids;
            try (Connection c = new SpreadConnectionFactory(url("")).createConnection()) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                ids = send(s, s.createProducer(s.createQueue(queue)), MIXED);
            }
            // send() returned: with storeAcks=all each message is on disk at the store member
            assertStoredWhole(store, "q~" + queue, ids, MIXED);
            try (Connection c = new SpreadConnectionFactory(url("")).createConnection()) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
                c.start();
                receiveIntact(consumer, MIXED);
            }
            awaitEmpty(store, "q~" + queue);
        }
    }

    @Test
    void aLargeMessageSentWhileAConsumerRunsArrivesOnceAndIsDeletedWhenAcknowledged() throws Exception {
        String queue = "llive";
        try (StoreMember store = member("a", List.of("q~" + queue));
             Connection c = new SpreadConnectionFactory(url("")).createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            c.start();
            int[] sizes = {1 << 20, 7, 400_000};
            send(s, s.createProducer(s.createQueue(queue)), sizes);
            receiveIntact(consumer, sizes);
            awaitEmpty(store, "q~" + queue);
            // NON_PERSISTENT: delivered in fragments as before, and never kept (fragments are not keyed messages)
            BytesMessage np = s.createBytesMessage();
            np.writeBytes(body(0, 1 << 20));
            np.setIntProperty("i", 0);
            s.createProducer(s.createQueue(queue)).send(np, DeliveryMode.NON_PERSISTENT, 4, 0);
            receiveIntact(consumer, new int[] {1 << 20});
            assertEquals(0, stored(store, "q~" + queue).size(), "a NON_PERSISTENT message is not kept");
        }
    }

    @Test
    void aRestartedStoreMemberRepublishesLargeMessagesToAConsumerAlreadyRunning() throws Exception {
        String queue = "lrun";
        int[] sizes = {1 << 20, 11, 2 << 20, ONE_SPREAD_MESSAGE + 5};
        try (StoreMember first = member("a", List.of("q~" + queue))) {
            try (Connection c = new SpreadConnectionFactory(url("")).createConnection()) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                send(s, s.createProducer(s.createQueue(queue)), sizes);
            }
        }
        // no store member while the consumer starts: nothing to re-publish yet
        try (Connection c = new SpreadConnectionFactory(url("storeAcks=0")).createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            c.start();
            assertNull(consumer.receiveNoWait());
            try (StoreMember again = member("a", List.of("q~" + queue))) {
                // it becomes the re-publisher with a consumer present: the consumer gets the stored messages
                receiveIntact(consumer, sizes);
                awaitEmpty(again, "q~" + queue);
            }
        }
    }

    @Test
    void anOfflineDurableSubscriberGetsLargeMessagesInOrderWithSmallOnes() throws Exception {
        int[] sizes = {20, 1_500_000, 30, 200_000, 2 << 20, 40, ONE_SPREAD_MESSAGE * 3, 50};
        try (StoreMember store = member("a", List.of())) {
            try (Connection c = new SpreadConnectionFactory(url("")).createConnection()) {
                c.setClientID("large-sub");
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                s.createDurableConsumer(s.createTopic("lprices"), "d").close();
            }
            try (Connection c = new SpreadConnectionFactory(url("")).createConnection()) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                send(s, s.createProducer(s.createTopic("lprices")), sizes);
            }
            try (Connection c = new SpreadConnectionFactory(url("")).createConnection()) {
                c.setClientID("large-sub");
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createDurableConsumer(s.createTopic("lprices"), "d");
                c.start();
                receiveIntact(consumer, sizes);
            }
        }
    }

    @Test
    void aBrowserOnAnotherConnectionSeesALargeStoredMessage() throws Exception {
        String queue = "lbrowse";
        int[] sizes = {3, 2 << 20, 4, 600_000};
        try (StoreMember store = member("a", List.of("q~" + queue))) {
            try (Connection c = new SpreadConnectionFactory(url("")).createConnection()) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                send(s, s.createProducer(s.createQueue(queue)), sizes);
            }
            try (Connection c = new SpreadConnectionFactory(url("")).createConnection()) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                QueueBrowser b = s.createBrowser(s.createQueue(queue));
                Enumeration<?> e = b.getEnumeration();
                for (int i = 0; i < sizes.length; i++) {
                    assertTrue(e.hasMoreElements(), "browsed " + i + " of " + sizes.length);
                    Message m = (Message) e.nextElement();
                    assertEquals(i, m.getIntProperty("i"));
                    assertArrayEquals(body(i, sizes[i]), m.getBody(byte[].class), "browsed message " + i + " intact");
                }
                assertTrue(!e.hasMoreElements(), "nothing more is stored");
            }
            assertEquals(sizes.length, stored(store, "q~" + queue).size(), "browsing takes nothing");
        }
    }

    @Test
    void aStoreMemberJoiningLateGetsTheLargeMessagesByStateTransferAndServesThem() throws Exception {
        String queue = "lstate";
        String group = "q~" + queue;
        StoreMember a = member("a", List.of(group));
        try (a) {
            List<String> ids;
            try (Connection c = new SpreadConnectionFactory(url("")).createConnection()) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                ids = send(s, s.createProducer(s.createQueue(queue)), MIXED);
            }
            lateMemberTakesTheState(a, queue, ids);
        }
    }

    private void lateMemberTakesTheState(StoreMember a, String queue, List<String> ids) throws Exception {
        String group = "q~" + queue;
        try (StoreMember b = member("b", List.of(group))) {
            assertStoredWhole(b, group, ids, MIXED);
            List<StoredMessage> fromA = stored(a, group);
            List<StoredMessage> fromB = stored(b, group);
            for (int i = 0; i < fromA.size(); i++) {
                assertEquals(fromA.get(i).sequence(), fromB.get(i).sequence());
                assertArrayEquals(fromA.get(i).payload(), fromB.get(i).payload(), "entry " + i + " equal at b");
            }
            // both serve now: a large message sent with storeAcks=all is on disk at both when send() returns
            int[] more = {1 << 20};
            List<String> moreIds;
            try (Connection c = new SpreadConnectionFactory(url("")).createConnection()) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                moreIds = send(s, s.createProducer(s.createQueue(queue)), more);
            }
            assertEquals(moreIds.get(0), stored(a, group).get(MIXED.length).key().id());
            assertEquals(moreIds.get(0), stored(b, group).get(MIXED.length).key().id());
            a.close();
            // b alone re-publishes them, in fragments, to a consumer started now
            int[] all = {MIXED[0], MIXED[1], MIXED[2], MIXED[3], MIXED[4], MIXED[5], more[0]};
            try (Connection c = new SpreadConnectionFactory(url("")).createConnection()) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
                c.start();
                long deadline = System.nanoTime() + RECEIVE.toNanos();
                for (int i = 0; i < all.length; i++) {
                    Message m = consumer.receive(Math.max(1, TimeUnit.NANOSECONDS.toMillis(
                            deadline - System.nanoTime())));
                    assertTrue(m != null, "received " + i + " of " + all.length + " from b");
                    int index = i < MIXED.length ? i : 0; // the last one was sent as index 0 of its batch
                    assertArrayEquals(body(index, all[i]), m.getBody(byte[].class), "message " + i + " intact");
                }
                assertNull(consumer.receive(QUIET.toMillis()));
            }
        }
    }

    @Test
    void aMemberThatJoinsWhileALargeMessageIsHalfSentGetsItFromAnotherStateTransfer() throws Exception {
        String group = "lhalf";
        try (StoreMember a = member("a", List.of(group)); StoreClient sender = new StoreClient(daemon.port(), "half")) {
            byte[] whole = PersistentMessages.keyed("big-1", body(0, 1 << 20));
            List<byte[]> frames = new ArrayList<>();
            Fragment.split(PersistentMessages.KEYED, 1, whole, whole.length,
                    sender.connection.limits().maxDataBytes(2), frames::add);
            List<String> to = List.of(group, CONTROL);
            int half = frames.size() / 2;
            for (int i = 0; i < half; i++) {
                sender.connection.multicast(ServiceType.SAFE, to, Fragment.MESS_TYPE, frames.get(i));
            }
            try (StoreMember b = member("b", List.of(group))) {
                assertEquals(0, b.log().lastSequence(group), "b serves; the message was not complete at the cut");
                for (int i = half; i < frames.size(); i++) {
                    sender.connection.multicast(ServiceType.SAFE, to, Fragment.MESS_TYPE, frames.get(i));
                }
                sender.awaitStored(List.of(a.privateGroup()), Set.of("big-1"), StoreClient.WAIT);
                // b missed its first fragments: it catches up again, from a cut after the message
                long deadline = System.nanoTime() + RECEIVE.toNanos();
                while (!(b.isServing() && b.log().lastSequence(group) == 1)) {
                    assertTrue(System.nanoTime() < deadline, "b never got the message it joined in the middle of");
                    Thread.onSpinWait();
                }
                StoredMessage atA = stored(a, group).get(0);
                StoredMessage atB = stored(b, group).get(0);
                assertEquals(atA.key(), atB.key());
                assertArrayEquals(whole, atA.payload());
                assertArrayEquals(whole, atB.payload());
                // and both serve: the next message is stored and acknowledged by both
                sender.send(group, "small-1");
                sender.awaitStored(List.of(a.privateGroup(), b.privateGroup()), Set.of("small-1"),
                        StoreClient.WAIT);
            }
        }
    }

    @Test
    void aPersistentSendLargerThanMaxMessageBytesFailsClearlyAndStoresNothing() throws Exception {
        String queue = "lmax";
        try (StoreMember store = member("a", List.of("q~" + queue));
             Connection c = new SpreadConnectionFactory(url("maxMessageBytes=1048576")).createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            BytesMessage big = s.createBytesMessage();
            big.writeBytes(new byte[2 << 20]);
            long start = System.nanoTime();
            MessageFormatException e = assertThrows(MessageFormatException.class,
                    () -> p.send(big, DeliveryMode.PERSISTENT, 4, 0));
            assertTrue(e.getMessage().contains("maxMessageBytes"), e.getMessage());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "at once, not after storeTimeout");
            // a message under the limit, still larger than one Spread message, is stored
            List<String> ids = send(s, p, new int[] {900_000});
            assertStoredWhole(store, "q~" + queue, ids, new int[] {900_000});
        }
    }

    private static void awaitEmpty(StoreMember store, String group) throws Exception {
        long deadline = System.nanoTime() + RECEIVE.toNanos();
        while (!store.log().read(group, 1, 1, 1).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "acknowledged messages are still stored: "
                    + stored(store, group).size());
            Thread.onSpinWait();
        }
    }
}
