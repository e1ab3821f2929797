package org.spreadjms.store;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.spreadjms.jms.SpreadConnectionFactory;

/**
 * A queue consumer in its own JVM, for the SIGKILL test of {@link QueueReplayTest}: a CLIENT_ACKNOWLEDGE consumer
 * that never acknowledges, so every message it received is still held (by it alone, if it alone was in the queue's
 * group when the message came) when the parent kills it. It prints one flushed line each: {@code ready} once the
 * consumer exists (its connection is in the queue's group) and the connection is started, then
 * {@code got TEXT REDELIVERED} per message. Runs until killed (at most {@link #LIFETIME}). Arguments: connection
 * URI, queue.
 */
public final class QueueConsumerProcess {
    /** However the parent fares, this JVM does not outlive it by much. */
    private static final Duration LIFETIME = Duration.ofMinutes(3);

    private QueueConsumerProcess() {
    }

    public static void main(String[] args) throws Exception {
        Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lifetime");
            t.setDaemon(true);
            return t;
        }).schedule(() -> Runtime.getRuntime().halt(3), LIFETIME.toMillis(), TimeUnit.MILLISECONDS);
        PrintStream out = System.out;
        try (Connection c = new SpreadConnectionFactory(args[0]).createConnection()) {
            Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(args[1]));
            c.start();
            say(out, "ready");
            while (true) {
                Message m = consumer.receive(1000);
                if (m != null) {
                    say(out, "got " + ((TextMessage) m).getText() + " " + m.getJMSRedelivered());
                }
            }
        } catch (JMSException e) {
            say(out, "error " + e);
        }
    }

    private static synchronized void say(PrintStream out, String line) {
        out.println(line);
        out.flush();
    }
}
