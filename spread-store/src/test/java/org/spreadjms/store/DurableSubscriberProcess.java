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
 * A durable subscriber in its own JVM, for the SIGKILL tests of {@link DurableCrashTest}. It tells its parent on
 * standard output, one flushed line each, what it did, always before the step that follows it:
 * <ul>
 *   <li>{@code ready} once the subscription exists and the connection is started;</li>
 *   <li>{@code got TEXT REDELIVERED} for each message, printed before it is acknowledged (in AUTO_ACKNOWLEDGE mode
 *       from a message listener: the session acknowledges after {@code onMessage} returns);</li>
 *   <li>in CLIENT_ACKNOWLEDGE mode, every {@code ackEvery} messages, {@code acking TEXT} before
 *       {@code acknowledge()} and {@code acked TEXT} once it returned.</li>
 * </ul>
 * So whatever the moment of the kill, a message the parent saw no {@code acking} (CLIENT) or {@code got} (AUTO)
 * line for was not acknowledged. Runs until standard input closes or it is killed (at most
 * {@link #LIFETIME}). Arguments: connection URI, client id, subscription name, topic, {@code client} or
 * {@code auto}, ackEvery.
 */
public final class DurableSubscriberProcess {
    private DurableSubscriberProcess() {
    }

    /** However the parent fares, this JVM does not outlive it by much. */
    private static final Duration LIFETIME = Duration.ofMinutes(3);

    public static void main(String[] args) throws Exception {
        Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lifetime");
            t.setDaemon(true);
            return t;
        }).schedule(() -> Runtime.getRuntime().halt(3), LIFETIME.toMillis(), TimeUnit.MILLISECONDS);
        String uri = args[0];
        boolean client = args[4].equals("client");
        int ackEvery = Integer.parseInt(args[5]);
        PrintStream out = System.out;
        try (Connection c = new SpreadConnectionFactory(uri).createConnection()) {
            c.setClientID(args[1]);
            Session s = c.createSession(client ? Session.CLIENT_ACKNOWLEDGE : Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createDurableConsumer(s.createTopic(args[3]), args[2]);
            if (client) {
                c.start();
                say(out, "ready");
                receiveAndAcknowledge(consumer, ackEvery, out);
            } else {
                consumer.setMessageListener(m -> say(out, line(m)));
                c.start();
                say(out, "ready");
                while (System.in.read() >= 0) {
                    // runs until the parent closes our input or kills us
                }
            }
        }
    }

    private static void receiveAndAcknowledge(MessageConsumer consumer, int ackEvery, PrintStream out)
            throws JMSException {
        int n = 0;
        while (true) {
            Message m = consumer.receive(1000);
            if (m == null) {
                continue; // the parent ends us by SIGKILL (or the lifetime watchdog does)
            }
            say(out, line(m));
            if (++n % ackEvery == 0) {
                String text = ((TextMessage) m).getText();
                say(out, "acking " + text);
                m.acknowledge();
                say(out, "acked " + text);
            }
        }
    }

    private static String line(Message m) {
        try {
            return "got " + ((TextMessage) m).getText() + " " + m.getJMSRedelivered();
        } catch (JMSException e) {
            return "error " + e;
        }
    }

    private static synchronized void say(PrintStream out, String line) {
        out.println(line);
        out.flush();
    }
}
