package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

/**
 * A consumer that does not read for a while: the daemon cuts off a session more than 1000 messages behind, so a
 * client that stopped reading its socket would be disconnected. Ours keeps draining into the consumer's bounded
 * buffer, so the application catches up later and loses nothing below the bound.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowConsumerTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension(b -> b.maxQueuedMessages(1000));

    @Test
    void consumerThatPausesIsNotDisconnectedAndGetsEverythingBelowItsBound() throws Exception {
        int count = 5000;
        SpreadConnectionFactory cf = new SpreadConnectionFactory("spread://127.0.0.1:" + daemon.port());
        try (Connection rc = cf.createConnection(); Connection pc = cf.createConnection()) {
            rc.start();
            Session rs = rc.createSession(Session.AUTO_ACKNOWLEDGE);
            Topic topic = rs.createTopic("slow.consumer");
            MessageConsumer consumer = rs.createConsumer(topic);
            Session ps = pc.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = ps.createProducer(topic);
            for (int i = 0; i < count; i++) {
                producer.send(ps.createTextMessage("m" + i));
            }
            // the application has not read anything yet: 5000 messages are past the daemon's 1000-message cut-off
            for (int i = 0; i < count; i++) {
                TextMessage m = (TextMessage) consumer.receive(10_000);
                assertNotNull(m, "message " + i + " missing");
                assertEquals("m" + i, m.getText());
            }
            if (!daemon.isExternal()) { // a real daemon has no counters to read; the messages above are the proof
                assertEquals(0, daemon.daemon().counters().slowClientDrops());
            }
        }
    }
}
