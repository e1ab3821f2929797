package org.spreadjms.store;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.ReceivedMessage;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadOptions;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;
import org.spreadjms.jms.SpreadConnectionFactory;
import org.spreadjms.jms.store.StoreControlCodec;
import org.spreadjms.jms.store.StoreMembers;
import org.spreadjms.store.log.FsyncPolicy;

/**
 * A request to the store members (here SUBSCRIBE and UNSUBSCRIBE, which wait for every store member in view) stops
 * waiting for a store member that leaves the store's presence group before answering, as a PERSISTENT send does:
 * it completes with the answers of those still there instead of failing after {@code storeTimeout}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StoreRequestDepartureTest {
    private static final String CONTROL = "$store.rd";
    private static final long STORE_TIMEOUT_MS = 8000;

    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    @TempDir
    Path dir;

    /**
     * A store member that is in the control and presence groups but never answers (it hangs), then goes away while
     * a subscriber waits.
     */
    private SpreadConnection silentStoreMember() throws Exception {
        SpreadConnection c = SpreadConnection.connect(SpreadOptions.builder().daemon("127.0.0.1", daemon.port())
                .privateName("$stmute").membershipMessages(true).build());
        c.join(CONTROL, Duration.ofSeconds(5));
        c.join(StoreMembers.presenceGroupOf(CONTROL), Duration.ofSeconds(5));
        return c;
    }

    @Test
    void aStoreMemberThatLeavesBeforeAnsweringIsNotWaitedFor() throws Exception {
        String url = "spread://127.0.0.1:" + daemon.port() + "?storeGroup=" + CONTROL + "&storeTimeout="
                + STORE_TIMEOUT_MS;
        try (StoreMember m = StoreMember.start(new StoreMemberOptions(daemon.port() + "@127.0.0.1", "rd",
                dir.resolve("rd"), FsyncPolicy.defaultPolicy(), List.of(), CONTROL, 1, StoreClient.WAIT,
                64L << 20))) {
            m.awaitServing(StoreClient.WAIT);
            for (String step : List.of("subscribe", "unsubscribe")) {
                SpreadConnection mute = silentStoreMember();
                Thread leaver = new Thread(() -> {
                    try {
                        // leaves once the request reached it (and, in the same total order, the real member)
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                        while (System.nanoTime() < deadline) {
                            ReceivedMessage r = mute.receive(Duration.ofSeconds(1));
                            if (r instanceof DataMessage d && d.messType() == StoreControlCodec.MESS_TYPE) {
                                break;
                            }
                        }
                        mute.close();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, "mute-store-member-leaves");
                try (Connection c = new SpreadConnectionFactory(url).createConnection()) {
                    c.setClientID("rd-client");
                    Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                    long t0 = System.nanoTime();
                    leaver.start();
                    if (step.equals("subscribe")) {
                        MessageConsumer consumer = s.createDurableConsumer(s.createTopic("rd.topic"), "rd-sub");
                        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                        assertTrue(ms < STORE_TIMEOUT_MS / 2, "SUBSCRIBE took " + ms + " ms: it waited for the"
                                + " store member that left");
                        consumer.close();
                        c.close();
                        publishOne(url);
                    } else {
                        s.unsubscribe("rd-sub");
                        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                        assertTrue(ms < STORE_TIMEOUT_MS / 2, "UNSUBSCRIBE took " + ms + " ms: it waited for"
                                + " the store member that left");
                    }
                } finally {
                    leaver.join(5000);
                    mute.close();
                }
            }
        }
    }

    /** The subscription is real: a message published while its subscriber is away is kept for it. */
    private void publishOne(String url) throws Exception {
        try (Connection p = new SpreadConnectionFactory(url).createConnection();
             Connection c = new SpreadConnectionFactory(url).createConnection()) {
            Session ps = p.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = ps.createProducer(ps.createTopic("rd.topic"));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            producer.send(ps.createTextMessage("kept"));
            c.setClientID("rd-client");
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createDurableConsumer(s.createTopic("rd.topic"), "rd-sub");
            c.start();
            assertNotNull(consumer.receive(10_000), "the message kept for the subscription did not come");
            consumer.close();
        }
    }
}
