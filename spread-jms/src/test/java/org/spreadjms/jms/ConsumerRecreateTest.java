package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
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

/**
 * Closing the last consumer of a destination and creating a new one at once: the leave is still in flight when the
 * new consumer joins, and the new consumer must be live all the same.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsumerRecreateTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    @Test
    void consumerRecreatedRightAfterCloseReceives() throws Exception {
        SpreadConnectionFactory cf = new SpreadConnectionFactory(JmsTestSupport.storeless("spread://127.0.0.1:" + daemon.port()));
        try (Connection c = cf.createConnection(); Connection p = cf.createConnection()) {
            c.start();
            Session cs = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Session ps = p.createSession(Session.AUTO_ACKNOWLEDGE);
            Topic topic = cs.createTopic("recreate.topic");
            Queue queue = cs.createQueue("recreate.queue");
            MessageProducer topicProducer = ps.createProducer(topic);
            MessageProducer queueProducer = ps.createProducer(queue);
            for (int round = 0; round < 20; round++) {
                cs.createConsumer(topic).close();
                MessageConsumer t = cs.createConsumer(topic);
                topicProducer.send(ps.createTextMessage("t" + round));
                TextMessage got = (TextMessage) t.receive(5000);
                assertNotNull(got, "topic round " + round + ": the re-created consumer is deaf");
                assertEquals("t" + round, got.getText());
                t.close();

                cs.createConsumer(queue).close();
                MessageConsumer q = cs.createConsumer(queue);
                queueProducer.send(ps.createTextMessage("q" + round));
                got = (TextMessage) q.receive(5000);
                assertNotNull(got, "queue round " + round + ": the re-created consumer is deaf");
                assertEquals("q" + round, got.getText());
                q.close();
            }
        }
    }
}
