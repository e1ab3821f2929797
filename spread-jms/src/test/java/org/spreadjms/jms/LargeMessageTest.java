package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

/** Messages larger than one Spread message are fragmented and reassembled transparently. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LargeMessageTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    private SpreadConnectionFactory factory() {
        return new SpreadConnectionFactory("spread://127.0.0.1:" + daemon.port());
    }

    @Test
    void sixtyFourMebibyteMessageRoundTrips() throws Exception {
        byte[] body = new byte[64 * 1024 * 1024];
        new Random(64).nextBytes(body);
        try (Connection rc = factory().createConnection(); Connection pc = factory().createConnection()) {
            rc.start();
            Session rs = rc.createSession(Session.AUTO_ACKNOWLEDGE);
            Topic topic = rs.createTopic("large.one");
            MessageConsumer consumer = rs.createConsumer(topic);
            Session ps = pc.createSession(Session.AUTO_ACKNOWLEDGE);
            BytesMessage m = ps.createBytesMessage();
            m.writeBytes(body);
            m.setStringProperty("name", "big");
            ps.createProducer(topic).send(m);
            BytesMessage got = (BytesMessage) consumer.receive(60_000);
            assertNotNull(got, "64 MiB message not received");
            assertEquals(body.length, got.getBodyLength());
            byte[] back = new byte[body.length];
            assertEquals(body.length, got.readBytes(back));
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(body),
                    MessageDigest.getInstance("SHA-256").digest(back));
            assertEquals("big", got.getStringProperty("name"));
        }
    }

    @Test
    void thousandLargeMessagesFromFourConcurrentSendersArriveWholeAndInEachSendersOrder() throws Exception {
        int senders = 4;
        int each = 250;
        int size = 200_000;
        try (Connection rc = factory().createConnection()) {
            List<Throwable> problems = java.util.Collections.synchronizedList(new ArrayList<>());
            rc.setExceptionListener(problems::add);
            rc.start();
            Session rs = rc.createSession(Session.AUTO_ACKNOWLEDGE);
            Topic topic = rs.createTopic("large.many");
            MessageConsumer consumer = rs.createConsumer(topic);
            List<Thread> threads = new ArrayList<>();
            List<Throwable> errors = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int sender = s;
                threads.add(new Thread(() -> {
                    try (Connection pc = factory().createConnection()) {
                        Session ps = pc.createSession(Session.AUTO_ACKNOWLEDGE);
                        MessageProducer producer = ps.createProducer(topic);
                        for (int i = 0; i < each; i++) {
                            BytesMessage m = ps.createBytesMessage();
                            m.writeBytes(pattern(sender, i, size));
                            m.setIntProperty("sender", sender);
                            m.setIntProperty("seq", i);
                            producer.send(m);
                        }
                    } catch (Throwable t) {
                        synchronized (errors) {
                            errors.add(t);
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            int[] next = new int[senders];
            Set<String> seen = new HashSet<>();
            for (int n = 0; n < senders * each; n++) {
                BytesMessage m = (BytesMessage) consumer.receive(30_000);
                assertNotNull(m, "only " + n + " of " + senders * each + " arrived; sender errors " + errors
                        + "; receiver problems " + problems + "; next per sender " + java.util.Arrays.toString(next));
                int sender = m.getIntProperty("sender");
                int seq = m.getIntProperty("seq");
                assertEquals(next[sender], seq, "sender " + sender + " out of order");
                next[sender]++;
                byte[] body = new byte[(int) m.getBodyLength()];
                m.readBytes(body);
                assertArrayEquals(pattern(sender, seq, size), body, "message " + sender + "/" + seq + " mixed up");
                assertTrue(seen.add(sender + "/" + seq));
            }
            for (Thread t : threads) {
                t.join(30_000);
            }
            assertTrue(errors.isEmpty(), errors.toString());
        }
    }

    private static byte[] pattern(int sender, int seq, int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        Random r = new Random(sender * 100_000L + seq);
        while (b.remaining() >= 8) {
            b.putLong(r.nextLong());
        }
        return b.array();
    }
}
