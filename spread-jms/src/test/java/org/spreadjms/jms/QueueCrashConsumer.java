package org.spreadjms.jms;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/**
 * A queue consumer run as a separate JVM by {@link QueueCrashTest}, so that it can be killed with SIGKILL in the
 * middle of a stream. Prints {@code ready} once its consumer is live, then {@code got <text> <redelivered>} per
 * message, acknowledging each only after it was reported (CLIENT_ACKNOWLEDGE), so every message the test does not
 * see reported is unacknowledged and must be redelivered to another consumer. Exits by itself after 60 s.
 */
public final class QueueCrashConsumer {
    private QueueCrashConsumer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String queue = args[1];
        long end = System.currentTimeMillis() + 60_000;
        try (Connection c = new SpreadConnectionFactory("spread://127.0.0.1:" + port + "?storeAcks=0").createConnection()) {
            c.start();
            Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            System.out.println("ready");
            System.out.flush();
            while (System.currentTimeMillis() < end) {
                TextMessage m = (TextMessage) consumer.receive(500);
                if (m != null) {
                    System.out.println("got " + m.getText() + " " + m.getJMSRedelivered());
                    System.out.flush();
                    m.acknowledge();
                }
            }
        }
    }
}
