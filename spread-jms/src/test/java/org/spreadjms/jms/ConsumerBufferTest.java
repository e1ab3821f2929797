package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

/** consumerBufferMessages and consumerBufferBytes: what a consumer that does not read keeps, and what it drops. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsumerBufferTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    private static final int BODY = 10_000;

    @Test
    void byCountTheOldestAreDroppedAndTheNewestKept() throws Exception {
        List<String> got = fillThenRead("consumerBufferMessages=5", 20);
        assertEquals(List.of("m15", "m16", "m17", "m18", "m19"), got);
    }

    @Test
    void byBytesTheOldestAreDroppedAndTheNewestKept() throws Exception {
        // each message is a 10,000-byte body plus its envelope: 4 fit in 45,000 bytes, 5 do not
        List<String> got = fillThenRead("consumerBufferBytes=45000&maxMessageBytes=45000", 20);
        assertEquals(List.of("m16", "m17", "m18", "m19"), got);
    }

    @Test
    void theByteBoundIsNeverBelowMaxMessageBytesSoTheLargestMessageFitsAndStays() throws Exception {
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon, "consumerBufferBytes=2048&maxMessageBytes=105000");
        assertEquals(105_000, f.getSettings().effectiveConsumerBufferBytes());
        try (Connection c = f.createConnection(); Connection p = JmsTestSupport.started(f)) {
            Session s = c.createSession();
            Topic t = s.createTopic(JmsTestSupport.unique("buffer.large"));
            MessageConsumer consumer = s.createConsumer(t);
            Session ws = c.createSession();
            Topic done = ws.createTopic(t.getTopicName() + ".done");
            MessageConsumer witness = ws.createConsumer(done);
            Session ps = p.createSession();
            MessageProducer producer = ps.createProducer(t);
            producer.send(text(ps, "small-before"));
            BytesMessage big = ps.createBytesMessage();
            big.writeBytes(new byte[100_000]);
            big.setStringProperty("n", "big");
            producer.send(big);
            TextMessage tiny = ps.createTextMessage("tiny");
            tiny.setStringProperty("n", "tiny-after");
            producer.send(tiny);
            ps.createProducer(done).send(ps.createTextMessage("done"));
            c.start();
            JmsTestSupport.receive(witness, TextMessage.class);
            // 10 kB + 100 kB do not fit in 105,000 bytes: making room for the big one dropped the older one; the big
            // one and a tiny one do fit, so the big one stays
            List<String> got = new ArrayList<>();
            Message m;
            while ((m = consumer.receive(JmsTestSupport.ABSENT_MS)) != null) {
                got.add(m.getStringProperty("n"));
            }
            assertEquals(List.of("big", "tiny-after"), got);
        }
    }

    @Test
    void messagesPutBackForRedeliveryAreNeitherCountedNorDropped() throws Exception {
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon, "consumerBufferMessages=5");
        try (Connection c = JmsTestSupport.started(f); Connection p = JmsTestSupport.started(f)) {
            Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
            Topic t = s.createTopic(JmsTestSupport.unique("buffer.recover"));
            MessageConsumer consumer = s.createConsumer(t);
            Session ps = p.createSession();
            MessageProducer producer = ps.createProducer(t);
            for (int i = 0; i < 5; i++) {
                producer.send(text(ps, "m" + i));
            }
            for (int i = 0; i < 5; i++) {
                assertEquals("m" + i, JmsTestSupport.receive(consumer, TextMessage.class).getStringProperty("n"));
            }
            for (int i = 5; i < 10; i++) {
                producer.send(text(ps, "m" + i));
            }
            Thread.sleep(JmsTestSupport.ABSENT_MS); // m5..m9 wait in the buffer: it is full
            s.recover(); // m0..m4 go back in front
            producer.send(text(ps, "m10")); // room is made by dropping the oldest arrival (m5), nothing else
            // a witness on the same connection, sent after m10 by the same producer connection, arrives after it
            Session ws = c.createSession();
            MessageConsumer witness = ws.createConsumer(ws.createTopic(t.getTopicName() + ".done"));
            ps.createProducer(ws.createTopic(t.getTopicName() + ".done")).send(ps.createTextMessage("done"));
            JmsTestSupport.receive(witness, TextMessage.class);
            List<String> got = new ArrayList<>();
            Message m;
            while ((m = consumer.receive(JmsTestSupport.ABSENT_MS)) != null) {
                got.add(m.getStringProperty("n"));
            }
            assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m6", "m7", "m8", "m9", "m10"), got);
        }
    }

    @Test
    void aTemporaryQueueMailboxIsBoundedByBytesToo() throws Exception {
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon, "consumerBufferBytes=45000&maxMessageBytes=45000");
        try (Connection c = JmsTestSupport.started(f); Connection p = JmsTestSupport.started(f)) {
            Session s = c.createSession();
            Queue q = s.createTemporaryQueue(); // no consumer yet: messages wait in the mailbox
            Session ps = p.createSession();
            MessageProducer producer = ps.createProducer(q);
            for (int i = 0; i < 10; i++) {
                producer.send(text(ps, "m" + i));
            }
            // the last send is in the daemon's hands; wait until the mailbox has it before attaching a consumer
            Thread.sleep(JmsTestSupport.ABSENT_MS);
            MessageConsumer consumer = s.createConsumer(q);
            List<String> got = new ArrayList<>();
            Message m;
            while ((m = consumer.receive(JmsTestSupport.ABSENT_MS)) != null) {
                got.add(((TextMessage) m).getStringProperty("n"));
            }
            assertEquals(List.of("m6", "m7", "m8", "m9"), got);
        }
    }

    @Test
    void badBoundsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SpreadConnectionFactory("spread://127.0.0.1:4803?consumerBufferBytes=10"));
        assertTrue(e.getMessage().contains("consumerBufferBytes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new SpreadConnectionFactory("spread://127.0.0.1:4803?consumerBufferMessages=0"));
        assertTrue(e.getMessage().contains("consumerBufferMessages"), e.getMessage());
    }

    /** Sends {@code count} messages to a consumer that reads nothing until the last has arrived, then reads all. */
    private static List<String> fillThenRead(String options, int count) throws Exception {
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon, options);
        try (Connection c = f.createConnection(); Connection p = JmsTestSupport.started(f)) {
            Session s = c.createSession();
            Topic t = s.createTopic(JmsTestSupport.unique("buffer"));
            MessageConsumer consumer = s.createConsumer(t);
            // a witness on the same connection: its message, sent last by the same producer connection, arrives last
            Session ws = c.createSession();
            MessageConsumer witness = ws.createConsumer(ws.createTopic(t.getTopicName() + ".done"));
            Session ps = p.createSession();
            MessageProducer producer = ps.createProducer(t);
            for (int i = 0; i < count; i++) {
                producer.send(text(ps, "m" + i));
            }
            ps.createProducer(ws.createTopic(t.getTopicName() + ".done")).send(ps.createTextMessage("done"));
            c.start(); // stopped until now: nothing was taken from the buffer while it filled
            assertEquals("done", JmsTestSupport.receive(witness, TextMessage.class).getText());
            List<String> got = new ArrayList<>();
            Message m;
            while ((m = consumer.receive(JmsTestSupport.ABSENT_MS)) != null) {
                got.add(((TextMessage) m).getStringProperty("n"));
            }
            assertNull(consumer.receiveNoWait());
            assertTrue(got.contains("m" + (count - 1)), "the newest message is missing: " + got);
            return got;
        }
    }

    private static TextMessage text(Session s, String n) throws JMSException {
        TextMessage m = s.createTextMessage("x".repeat(BODY));
        m.setStringProperty("n", n);
        return m;
    }
}
