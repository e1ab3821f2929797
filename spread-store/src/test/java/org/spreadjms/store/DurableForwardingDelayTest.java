package org.spreadjms.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
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
import org.spreadjms.store.log.FsyncPolicy;

/**
 * The forwarder of a durable subscription never sleeps through a message stored while it was finding nothing more to
 * forward: under a steady flow every message reaches the online subscriber within a fraction of the forwarder's idle
 * wait (200 ms), not after it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DurableForwardingDelayTest {
    private static final String CONTROL = "$store.fd";
    private static final int MESSAGES = 3000;
    /** Well below the forwarder's 200 ms idle wait, well above a delivery on a busy 2-core machine. */
    private static final long MAX_DELAY_MS = 150;

    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    @TempDir
    Path dir;

    /**
     * A subscriber that comes back gets its backlog at once: the forwarder waits for the log barrier of the new view
     * and must go on when it is written, not at its next idle wake-up.
     */
    @Test
    void aReturningSubscriberGetsItsBacklogWithoutAnIdleWait() throws Exception {
        String url = "spread://127.0.0.1:" + daemon.port() + "?storeGroup=" + CONTROL + "&storeTimeout=5000";
        try (StoreMember m = StoreMember.start(new StoreMemberOptions(daemon.port() + "@127.0.0.1", "fb",
                dir.resolve("fb"), FsyncPolicy.defaultPolicy(), List.of(), CONTROL, 1, StoreClient.WAIT,
                64L << 20));
             Connection pub = new SpreadConnectionFactory(url).createConnection()) {
            m.awaitServing(StoreClient.WAIT);
            Session ps = pub.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = ps.createProducer(ps.createTopic("fd.backlog"));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            long worst = 0;
            for (int round = 0; round < 5; round++) {
                try (Connection sub = new SpreadConnectionFactory(url).createConnection()) {
                    sub.setClientID("fb-client");
                    Session ss = sub.createSession(Session.AUTO_ACKNOWLEDGE);
                    MessageConsumer c = ss.createDurableConsumer(ss.createTopic("fd.backlog"), "fb-sub");
                    sub.start();
                    if (round > 0) {
                        long t0 = System.nanoTime();
                        assertTrue(c.receive(10_000) != null, "round " + round + ": the backlog did not come");
                        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                        worst = Math.max(worst, ms);
                        for (int i = 1; i < 5; i++) {
                            assertTrue(c.receive(10_000) != null, "round " + round + ": message " + i);
                        }
                    }
                    c.close();
                }
                for (int i = 0; i < 5; i++) {
                    p.send(ps.createTextMessage("b-" + round + "-" + i)); // kept while the subscriber is away
                }
            }
            System.out.printf("durable backlog after a return: worst first message %d ms%n", worst);
            assertTrue(worst < MAX_DELAY_MS, "the first kept message took " + worst + " ms after the subscriber came"
                    + " back: the forwarder waited for its idle wake-up");
        }
    }

    @Test
    void everyMessageOfASteadyFlowReachesTheOnlineSubscriberWithoutAnIdleWait() throws Exception {
        String url = "spread://127.0.0.1:" + daemon.port() + "?storeGroup=" + CONTROL + "&storeTimeout=5000";
        try (StoreMember m = StoreMember.start(new StoreMemberOptions(daemon.port() + "@127.0.0.1", "fd",
                dir.resolve("fd"), FsyncPolicy.defaultPolicy(), List.of(), CONTROL, 1, StoreClient.WAIT,
                64L << 20))) {
            m.awaitServing(StoreClient.WAIT);
            ConcurrentHashMap<String, Long> sentAt = new ConcurrentHashMap<>();
            AtomicLong worst = new AtomicLong();
            AtomicLong late = new AtomicLong();
            CountDownLatch all = new CountDownLatch(MESSAGES);
            try (Connection sub = new SpreadConnectionFactory(url).createConnection();
                 Connection pub = new SpreadConnectionFactory(url).createConnection()) {
                sub.setClientID("fd-client");
                Session ss = sub.createSession(Session.AUTO_ACKNOWLEDGE);
                Topic topic = ss.createTopic("fd.prices");
                MessageConsumer c = ss.createDurableConsumer(topic, "fd-sub");
                c.setMessageListener(msg -> {
                    try {
                        Long t0 = sentAt.get(((TextMessage) msg).getText());
                        if (t0 != null) {
                            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                            worst.accumulateAndGet(ms, Math::max);
                            if (ms > MAX_DELAY_MS) {
                                late.incrementAndGet();
                            }
                        }
                    } catch (JMSException e) {
                        throw new IllegalStateException(e);
                    }
                    all.countDown();
                });
                sub.start();
                Session ps = pub.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = ps.createProducer(ps.createTopic("fd.prices"));
                p.setDeliveryMode(DeliveryMode.PERSISTENT);
                for (int i = 0; i < MESSAGES; i++) {
                    String text = "p-" + i;
                    sentAt.put(text, System.nanoTime()); // before send: a PERSISTENT send returns once stored
                    p.send(ps.createTextMessage(text));
                }
                assertTrue(all.await(60, TimeUnit.SECONDS), all.getCount() + " of " + MESSAGES + " never arrived");
                c.close();
                ss.unsubscribe("fd-sub");
            }
            System.out.printf("durable forwarding delay: %d messages, worst %d ms, %d over %d ms%n", MESSAGES,
                    worst.get(), late.get(), MAX_DELAY_MS);
            assertEquals(0, late.get(), "messages that waited over " + MAX_DELAY_MS + " ms (worst " + worst.get()
                    + " ms): the forwarder slept through them");
        }
    }
}
