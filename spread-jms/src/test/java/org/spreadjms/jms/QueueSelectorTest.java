package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

/**
 * A shared reply queue with one selector per requester (what Camel and Spring request/reply do): a message assigned
 * to a member whose consumers do not match is declined and reassigned, so each reply reaches its own requester.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QueueSelectorTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    @Test
    void repliesOnASharedQueueReachTheRequesterWhoseSelectorMatches() throws Exception {
        SpreadConnectionFactory cf = new SpreadConnectionFactory(JmsTestSupport.storeless("spread://127.0.0.1:" + daemon.port()));
        int requesters = 3;
        int each = 40;
        Connection[] conns = new Connection[requesters];
        MessageConsumer[] consumers = new MessageConsumer[requesters];
        try (Connection responder = cf.createConnection()) {
            for (int r = 0; r < requesters; r++) {
                conns[r] = cf.createConnection();
                conns[r].start();
                Session s = conns[r].createSession(Session.AUTO_ACKNOWLEDGE);
                consumers[r] = s.createConsumer(s.createQueue("replies.shared"), "JMSCorrelationID = 'req-" + r + "'");
            }
            Session rs = responder.createSession(Session.AUTO_ACKNOWLEDGE);
            Queue replies = rs.createQueue("replies.shared");
            MessageProducer p = rs.createProducer(replies);
            for (int i = 0; i < each; i++) {
                for (int r = 0; r < requesters; r++) {
                    Message m = rs.createTextMessage("reply " + i + " to " + r);
                    m.setJMSCorrelationID("req-" + r);
                    p.send(m);
                }
            }
            for (int r = 0; r < requesters; r++) {
                for (int i = 0; i < each; i++) {
                    Message m = consumers[r].receive(5000);
                    assertNotNull(m, "requester " + r + " missed reply " + i);
                    assertEquals("req-" + r, m.getJMSCorrelationID());
                }
                assertNull(consumers[r].receive(100), "requester " + r + " got someone else's reply");
            }
        } finally {
            for (Connection c : conns) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }
}
