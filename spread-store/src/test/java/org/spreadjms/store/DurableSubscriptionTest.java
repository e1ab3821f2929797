package org.spreadjms.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;
import org.spreadjms.jms.SpreadConnectionFactory;
import org.spreadjms.jms.queue.DurableSubscriptions;
import org.spreadjms.store.log.FsyncPolicy;

/**
 * Durable subscriptions kept by store members (issue 14): a subscriber that is offline gets, when it comes back,
 * every message published meanwhile, in order, then the live ones, with no gap and no duplicate; selectors, noLocal,
 * shared durable consumers, unsubscribe, a change of selector, and PERSISTENT topic sends with {@code storeAcks}.
 * Real daemon, real sockets, real store members on RocksDB.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DurableSubscriptionTest {
    private static final String CONTROL = "$store.ds";
    private static final Duration RECEIVE = Duration.ofSeconds(20);
    private static final Duration QUIET = Duration.ofMillis(1000);

    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    @TempDir
    Path dir;

    private String url(String options) {
        return "spread://127.0.0.1:" + daemon.port() + "?storeGroup=" + CONTROL + "&storeTimeout=5000"
                + (options.isEmpty() ? "" : "&" + options);
    }

    private StoreMember member(String name) throws Exception {
        StoreMember m = StoreMember.start(new StoreMemberOptions(daemon.port() + "@127.0.0.1", name,
                dir.resolve(name), FsyncPolicy.defaultPolicy(), List.of(), CONTROL, 1, StoreClient.WAIT,
                64L << 20));
        m.awaitServing(StoreClient.WAIT);
        return m;
    }

    private Connection connection(String clientId) throws JMSException {
        Connection c = new SpreadConnectionFactory(url("")).createConnection();
        if (clientId != null) {
            c.setClientID(clientId);
        }
        return c;
    }

    private List<String> publish(String topic, String prefix, int n, int deliveryMode) throws JMSException {
        List<String> texts = new ArrayList<>();
        try (Connection c = connection(null)) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createTopic(topic));
            p.setDeliveryMode(deliveryMode);
            for (int i = 0; i < n; i++) {
                TextMessage m = s.createTextMessage(prefix + "-" + i);
                m.setIntProperty("i", i);
                p.send(m);
                texts.add(m.getText());
            }
        }
        return texts;
    }

    /** Receives exactly {@code expected} messages in order, then nothing more within {@link #QUIET}. */
    private static List<String> receive(MessageConsumer consumer, int expected) throws JMSException {
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + RECEIVE.toNanos();
        while (got.size() < expected) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            assertTrue(left > 0, "received " + got.size() + " of " + expected + ": " + got);
            Message m = consumer.receive(left);
            if (m != null) {
                got.add(((TextMessage) m).getText());
            }
        }
        assertNull(consumer.receive(QUIET.toMillis()), "a message more than the " + expected + " expected");
        return got;
    }

    @Test
    void anOfflineSubscriberGetsWhatWasPublishedMeanwhileInOrderThenLiveOnes() throws Exception {
        try (StoreMember store = member("a")) {
            try (Connection c = connection("sub-1")) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                Topic t = s.createTopic("prices");
                s.createDurableConsumer(t, "d1").close();
            }
            List<String> offline = publish("prices", "offline", 50, DeliveryMode.PERSISTENT);
            offline.addAll(publish("prices", "nonpersistent", 10, DeliveryMode.NON_PERSISTENT));
            try (Connection c = connection("sub-1")) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createDurableConsumer(s.createTopic("prices"), "d1");
                c.start();
                assertEquals(offline, receive(consumer, offline.size()), "the backlog, in publication order");
                List<String> live = publish("prices", "live", 20, DeliveryMode.PERSISTENT);
                assertEquals(live, receive(consumer, live.size()));
            }
            // everything was acknowledged: the subscription's messages are deleted
            String group = DurableSubscriptions.groupOf("sub-1", "d1");
            long deadline = System.nanoTime() + RECEIVE.toNanos();
            while (!store.log().read(group, 1, 10, 1 << 20).isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "acknowledged messages are still stored");
                Thread.onSpinWait();
            }
        }
    }

    @Test
    void aSubscriberThatCrashesWithoutAcknowledgingGetsTheMessagesAgainMarkedRedelivered() throws Exception {
        try (StoreMember store = member("a")) {
            try (Connection c = connection("sub-2")) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                s.createDurableConsumer(s.createTopic("orders"), "d2").close();
            }
            List<String> sent = publish("orders", "m", 30, DeliveryMode.PERSISTENT);
            Connection first = connection("sub-2");
            Session cs = first.createSession(Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer c1 = cs.createDurableConsumer(cs.createTopic("orders"), "d2");
            first.start();
            Message m = null;
            for (int i = 0; i < 10; i++) {
                m = c1.receive(RECEIVE.toMillis());
                assertEquals(sent.get(i), ((TextMessage) m).getText());
            }
            m.acknowledge(); // the first 10
            for (int i = 10; i < 15; i++) {
                assertEquals(sent.get(i), ((TextMessage) c1.receive(RECEIVE.toMillis())).getText());
            }
            first.close(); // 10..14 received, not acknowledged
            try (Connection c = connection("sub-2")) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createDurableConsumer(s.createTopic("orders"), "d2");
                c.start();
                List<String> got = new ArrayList<>();
                for (int i = 10; i < 30; i++) {
                    Message r = consumer.receive(RECEIVE.toMillis());
                    assertEquals(sent.get(i), ((TextMessage) r).getText(), "resumes where it stopped, in order");
                    if (i < 15) {
                        // received before and not acknowledged; later ones were forwarded to the first
                        // connection's buffer and may be marked too (the store cannot tell what it delivered)
                        assertTrue(r.getJMSRedelivered(), "redelivered flag of " + sent.get(i));
                    }
                    got.add(((TextMessage) r).getText());
                }
                assertNull(consumer.receive(QUIET.toMillis()), "nothing twice");
            }
        }
    }

    @Test
    void selectorNoLocalAndAChangeOfSelectorMakeANewSubscription() throws Exception {
        try (StoreMember store = member("a")) {
            try (Connection c = connection("sub-3")) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                Topic t = s.createTopic("events");
                s.createDurableConsumer(t, "even", "i < 5", true).close();
                // noLocal: what this connection publishes is not kept
                MessageProducer own = s.createProducer(t);
                own.send(s.createTextMessage("own"));
            }
            publish("events", "e", 10, DeliveryMode.PERSISTENT);
            try (Connection c = connection("sub-3")) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createDurableConsumer(s.createTopic("events"), "even", "i < 5",
                        true);
                c.start();
                assertEquals(List.of("e-0", "e-1", "e-2", "e-3", "e-4"), receive(consumer, 5));
                consumer.close();
                // a new selector is a new subscription: what the old one kept is gone
                publish("events", "f", 4, DeliveryMode.PERSISTENT);
                MessageConsumer changed = s.createDurableConsumer(s.createTopic("events"), "even", "i = 3", true);
                assertNull(changed.receive(QUIET.toMillis()), "the old subscription's messages are not delivered");
                changed.close();
                publish("events", "g", 4, DeliveryMode.PERSISTENT);
                changed = s.createDurableConsumer(s.createTopic("events"), "even", "i = 3", true);
                assertEquals(List.of("g-3"), receive(changed, 1));
            }
        }
    }

    @Test
    void unsubscribeDeletesAndRefusesWhatJmsSaysItMust() throws Exception {
        try (StoreMember store = member("a"); Connection c = connection("sub-4")) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic("news");
            MessageConsumer consumer = s.createDurableConsumer(t, "d4");
            assertThrows(IllegalStateException.class, () -> s.unsubscribe("d4"), "a consumer is open");
            assertThrows(IllegalStateException.class, () -> s.createDurableConsumer(t, "d4"),
                    "an unshared subscription has a consumer already");
            try (Connection other = connection("sub-4b")) {
                Session os = other.createSession(Session.AUTO_ACKNOWLEDGE);
                assertThrows(InvalidDestinationException.class, () -> os.unsubscribe("d4"),
                        "another client id's subscription");
            }
            consumer.close();
            publish("news", "n", 5, DeliveryMode.PERSISTENT);
            s.unsubscribe("d4");
            assertThrows(InvalidDestinationException.class, () -> s.unsubscribe("d4"), "deleted already");
            MessageConsumer again = s.createDurableConsumer(t, "d4");
            c.start();
            assertNull(again.receive(QUIET.toMillis()), "a new subscription does not get the deleted one's messages");
        }
    }

    @Test
    void sharedDurableConsumersSplitTheMessagesAndTheBacklogWaitsForThem() throws Exception {
        try (StoreMember store = member("a")) {
            try (Connection c = connection(null)) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                s.createSharedDurableConsumer(s.createTopic("jobs"), "workers").close();
            }
            List<String> sent = publish("jobs", "j", 40, DeliveryMode.PERSISTENT);
            try (Connection a = connection(null); Connection b = connection(null)) {
                Session sa = a.createSession(Session.AUTO_ACKNOWLEDGE);
                Session sb = b.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageConsumer ca = sa.createSharedDurableConsumer(sa.createTopic("jobs"), "workers");
                MessageConsumer cb = sb.createSharedDurableConsumer(sb.createTopic("jobs"), "workers");
                a.start();
                b.start();
                List<String> got = new ArrayList<>();
                long deadline = System.nanoTime() + RECEIVE.toNanos();
                while (got.size() < sent.size() && System.nanoTime() < deadline) {
                    for (MessageConsumer c : List.of(ca, cb)) {
                        Message m = c.receive(50);
                        if (m != null) {
                            got.add(((TextMessage) m).getText());
                        }
                    }
                }
                assertEquals(sent.size(), got.size(), "received " + got);
                assertEquals(new HashSet<>(sent), new HashSet<>(got), "each once");
                assertNull(ca.receive(300));
                assertNull(cb.receive(300));
            }
        }
    }

    @Test
    void expiredMessagesAreNeitherDeliveredNorKeptAndGivenUpMessagesGoToTheDeadLetterQueue() throws Exception {
        try (StoreMember store = member("a")) {
            try (Connection c = connection("sub-7")) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                s.createDurableConsumer(s.createTopic("ticks"), "d7").close();
            }
            long expiresBy;
            try (Connection c = connection(null)) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = s.createProducer(s.createTopic("ticks"));
                p.setDeliveryMode(DeliveryMode.PERSISTENT);
                for (int i = 0; i < 6; i++) {
                    p.setTimeToLive(i % 2 == 0 ? 300 : 0);
                    p.send(s.createTextMessage("t-" + i));
                }
                expiresBy = System.currentTimeMillis() + 300;
            }
            // the expiry time itself must pass: there is nothing else to wait for
            TimeUnit.MILLISECONDS.sleep(Math.max(0, expiresBy - System.currentTimeMillis()) + 50);
            String group = DurableSubscriptions.groupOf("sub-7", "d7");
            try (Connection c = connection("sub-7")) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createDurableConsumer(s.createTopic("ticks"), "d7");
                c.start();
                assertEquals(List.of("t-1", "t-3", "t-5"), receive(consumer, 3), "only those that did not expire");
            }
            long deadline = System.nanoTime() + RECEIVE.toNanos();
            while (!store.log().read(group, 1, 10, 1 << 20).isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "expired or acknowledged messages are still stored");
                Thread.onSpinWait();
            }

            // a message the listener keeps failing on is given up to the dead-letter queue, and deleted
            try (Connection dlq = connection(null);
                 Connection c = new SpreadConnectionFactory(url("clientID=sub-7&maxRedeliveries=1"
                         + "&deadLetterQueue=DLQ.ticks")).createConnection()) {
                Session ds = dlq.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageConsumer dead = ds.createConsumer(ds.createQueue("DLQ.ticks"));
                dlq.start();
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                s.createDurableConsumer(s.createTopic("ticks"), "d7").setMessageListener(m -> {
                    throw new java.lang.IllegalStateException("this listener fails on purpose");
                });
                c.start();
                publish("ticks", "poison", 1, DeliveryMode.PERSISTENT);
                Message given = dead.receive(RECEIVE.toMillis());
                assertEquals("poison-0", ((TextMessage) given).getText());
                deadline = System.nanoTime() + RECEIVE.toNanos();
                while (!store.log().read(group, 1, 10, 1 << 20).isEmpty()) {
                    assertTrue(System.nanoTime() < deadline, "the dead-lettered message is still stored");
                    Thread.onSpinWait();
                }
            }
        }
    }

    @Test
    void aFullWindowWaitsForAcknowledgementsAndMessagesDeletedByAckedFramesOpenIt() throws Exception {
        try (StoreMember store = member("a")) {
            try (Connection c = connection("sub-8")) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                s.createDurableConsumer(s.createTopic("bulk"), "d8").close();
            }
            int n = SubscriptionForwarder.WINDOW + 200;
            publish("bulk", "b", n, DeliveryMode.NON_PERSISTENT);
            String group = DurableSubscriptions.groupOf("sub-8", "d8");
            try (Connection c = connection("sub-8");
                 org.spreadjms.client.SpreadConnection raw = org.spreadjms.client.SpreadConnection.connect(
                         org.spreadjms.client.SpreadOptions.builder().daemon(daemon.port() + "@127.0.0.1").build())) {
                Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
                MessageConsumer consumer = s.createDurableConsumer(s.createTopic("bulk"), "d8");
                c.start();
                List<org.spreadjms.jms.store.MessageKey> held = new ArrayList<>();
                for (int i = 0; i < SubscriptionForwarder.WINDOW; i++) {
                    Message m = consumer.receive(RECEIVE.toMillis());
                    assertEquals("b-" + i, ((TextMessage) m).getText());
                    held.add(new org.spreadjms.jms.store.MessageKey("jms:", m.getJMSMessageID()));
                }
                assertNull(consumer.receive(QUIET.toMillis()), "the window is full: nothing more is forwarded");
                // the kept messages are deleted by ACKED frames (as the forwarder deletes expired ones), not by the
                // consumer's acknowledgements: that frees the window too
                for (int i = 0; i < held.size(); i += 100) {
                    raw.multicast(org.spreadjms.client.ServiceType.SAFE, group,
                            org.spreadjms.jms.store.StoreControlCodec.MESS_TYPE,
                            org.spreadjms.jms.store.StoreControlCodec.encode(new org.spreadjms.jms.store.StoreFrame
                                    .Acked(group, held.subList(i, Math.min(held.size(), i + 100)))));
                }
                for (int i = SubscriptionForwarder.WINDOW; i < n; i++) {
                    Message m = consumer.receive(RECEIVE.toMillis());
                    assertEquals("b-" + i, m == null ? null : ((TextMessage) m).getText(), "forwarding went on");
                }
            }
        }
    }

    @Test
    void persistentTopicSendsWaitForTheStoreAndGoAtOnceWithoutOne() throws Exception {
        try (Connection c = new SpreadConnectionFactory(url("storeAcks=1&storeTimeout=1000")).createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createTopic("audit"));
            // without any store member no durable subscription exists: nothing to wait for
            long start = System.nanoTime();
            p.send(s.createTextMessage("x"));
            assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(900), "waited for no store");
            try (Connection sub = connection("sub-6")) {
                Session ss = sub.createSession(Session.AUTO_ACKNOWLEDGE);
                JMSException refused = assertThrows(JMSException.class,
                        () -> ss.createDurableConsumer(ss.createTopic("audit"), "d6"));
                assertTrue(refused.getMessage().contains("no store member answered"), refused.getMessage());
            }
            try (StoreMember store = member("a")) {
                p.send(s.createTextMessage("no subscription yet")); // acknowledged, nothing kept
                try (Connection sub = connection("sub-6")) {
                    Session ss = sub.createSession(Session.AUTO_ACKNOWLEDGE);
                    ss.createDurableConsumer(ss.createTopic("audit"), "d6").close();
                }
                for (int i = 0; i < 20; i++) {
                    p.send(s.createTextMessage("kept-" + i));
                }
                // every send returned: all 20 are on disk at the store member
                assertEquals(20, store.log().read(DurableSubscriptions.groupOf("sub-6", "d6"), 1, 100, 1 << 20)
                        .size());
                p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
                p.send(s.createTextMessage("np")); // no wait
                assertFalse(store.log().destinations().isEmpty());
            }
        }
    }
}
