package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

/**
 * Issue 13, items 3 and 8: what a consumer loses is reported to the application (once per episode, through the
 * ExceptionListener, and counted), buffered messages come out by priority, and a message refused for its size is
 * reported once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ApplicationReportsTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    private static JMSException next(LinkedBlockingQueue<JMSException> q) throws InterruptedException {
        JMSException e = q.poll(JmsTestSupport.ARRIVES_MS, TimeUnit.MILLISECONDS);
        assertNotNull(e, "no report within " + JmsTestSupport.ARRIVES_MS + " ms");
        return e;
    }

    /** Fills a stopped connection's consumer with {@code count} messages, then starts it; returns the witness. */
    private static void fill(Connection c, Session ps, Topic t, MessageConsumer witness, int count) throws Exception {
        MessageProducer producer = ps.createProducer(t);
        for (int i = 0; i < count; i++) {
            producer.send(ps.createTextMessage("m" + i));
        }
        ps.createProducer(ps.createTopic(t.getTopicName() + ".done")).send(ps.createTextMessage("done"));
        c.start();
        assertNotNull(witness.receive(JmsTestSupport.ARRIVES_MS), "witness");
    }

    @Test
    void droppedMessagesAreReportedOncePerEpisodeAndCounted() throws Exception {
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon, "consumerBufferMessages=5");
        LinkedBlockingQueue<JMSException> reports = new LinkedBlockingQueue<>();
        try (Connection c = f.createConnection(); Connection p = JmsTestSupport.started(f)) {
            c.setExceptionListener(reports::add);
            Session s = c.createSession();
            Topic t = s.createTopic(JmsTestSupport.unique("drops"));
            MessageConsumer consumer = s.createConsumer(t);
            Session ws = c.createSession();
            MessageConsumer witness = ws.createConsumer(ws.createTopic(t.getTopicName() + ".done"));
            Session ps = p.createSession();

            fill(c, ps, t, witness, 20);
            JMSException first = next(reports);
            assertTrue(first instanceof ResourceAllocationException, first.toString());
            assertEquals("SPREADJMS_CONSUMER_DROPPED", first.getErrorCode());
            assertTrue(first.getMessage().contains(t.getTopicName()), first.getMessage());
            assertEquals(15, ((SpreadConsumerStatistics) consumer).getDroppedMessageCount());
            while (consumer.receive(JmsTestSupport.ABSENT_MS) != null) {
                // catch up: the episode ends when the buffer runs empty
            }
            assertNull(reports.poll(JmsTestSupport.ABSENT_MS, TimeUnit.MILLISECONDS), "one report per episode");

            c.stop();
            fill(c, ps, t, witness, 20);
            assertEquals("SPREADJMS_CONSUMER_DROPPED", next(reports).getErrorCode(), "a new episode");
            assertEquals(30, ((SpreadConsumerStatistics) consumer).getDroppedMessageCount());
        }
    }

    @Test
    void bufferedMessagesComeOutHighestPriorityFirst() throws Exception {
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon);
        try (Connection c = f.createConnection(); Connection p = JmsTestSupport.started(f)) {
            Session s = c.createSession();
            Topic t = s.createTopic(JmsTestSupport.unique("prio"));
            MessageConsumer consumer = s.createConsumer(t);
            Session ws = c.createSession();
            MessageConsumer witness = ws.createConsumer(ws.createTopic(t.getTopicName() + ".done"));
            Session ps = p.createSession();
            MessageProducer producer = ps.createProducer(t);
            int[] priorities = {1, 9, 4, 9, 0, 4, 7};
            for (int i = 0; i < priorities.length; i++) {
                producer.setPriority(priorities[i]);
                producer.send(ps.createTextMessage(priorities[i] + "/" + i));
            }
            ps.createProducer(ps.createTopic(t.getTopicName() + ".done")).send(ps.createTextMessage("done"));
            c.start();
            assertNotNull(witness.receive(JmsTestSupport.ARRIVES_MS));
            List<String> got = new ArrayList<>();
            Message m;
            while ((m = consumer.receive(JmsTestSupport.ABSENT_MS)) != null) {
                got.add(((TextMessage) m).getText());
            }
            assertEquals(List.of("9/1", "9/3", "7/6", "4/2", "4/5", "1/0", "0/4"), got);
        }
    }

    @Test
    void aMessageOverTheReceiversMaxMessageBytesIsReportedOnceAndTheNextOneArrives() throws Exception {
        LinkedBlockingQueue<JMSException> reports = new LinkedBlockingQueue<>();
        try (Connection c = JmsTestSupport.started(JmsTestSupport.factory(daemon, "maxMessageBytes=100000"));
             Connection p = JmsTestSupport.started(JmsTestSupport.factory(daemon))) {
            c.setExceptionListener(reports::add);
            Session s = c.createSession();
            Topic t = s.createTopic(JmsTestSupport.unique("big"));
            MessageConsumer consumer = s.createConsumer(t);
            Session ps = p.createSession();
            MessageProducer producer = ps.createProducer(t);
            BytesMessage big = ps.createBytesMessage();
            big.writeBytes(new byte[1_000_000]); // about eight Spread messages
            producer.send(big);
            producer.send(ps.createTextMessage("small"));
            assertEquals("small", JmsTestSupport.receive(consumer, TextMessage.class).getText());
            JMSException e = next(reports);
            assertEquals("SPREADJMS_MESSAGE_TOO_LARGE", e.getErrorCode());
            assertTrue(e.getMessage().contains("maxMessageBytes"), e.getMessage());
            assertNull(reports.poll(JmsTestSupport.ABSENT_MS, TimeUnit.MILLISECONDS), "reported once, not per piece");
        }
    }
}
