package org.spreadjms.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.spreadjms.jms.SpreadConnectionFactory;

/**
 * A producer on a thread and a connection of its own that sends PERSISTENT text messages {@code prefix0},
 * {@code prefix1}, ... one after the other (each {@code send()} waits for the store acknowledgements the URI's
 * {@code storeAcks} asks for) until a condition on the number of returned sends holds, at most {@code maxMessages}
 * and {@code maxTime}. Records which sends returned and which failed, in order.
 */
final class FlowProducer implements AutoCloseable {
    private final Connection connection;
    private final Session session;
    private final MessageProducer producer;
    private final String prefix;
    private final int maxMessages;
    private final long deadline;
    private final Thread thread;
    private final List<String> returned = new ArrayList<>();
    private final List<String> failed = new ArrayList<>();
    private volatile IntPredicate stopWhen = n -> false;
    private JMSException firstFailure;

    /** @param queue a queue name, or null to send to {@code topic} */
    FlowProducer(String uri, String queue, String topic, String prefix, int maxMessages, Duration maxTime)
            throws JMSException {
        connection = new SpreadConnectionFactory(uri).createConnection();
        session = connection.createSession(Session.AUTO_ACKNOWLEDGE);
        Destination d = queue != null ? session.createQueue(queue) : session.createTopic(topic);
        producer = session.createProducer(d);
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        this.prefix = prefix;
        this.maxMessages = maxMessages;
        this.deadline = System.nanoTime() + maxTime.toNanos();
        this.thread = new Thread(this::run, "flow-" + prefix);
        this.thread.setDaemon(true);
    }

    FlowProducer start() {
        thread.start();
        return this;
    }

    /** From now on the producer stops once {@code condition} holds for the number of returned sends. */
    void stopWhen(IntPredicate condition) {
        stopWhen = condition;
    }

    private void run() {
        for (int i = 0; i < maxMessages && System.nanoTime() < deadline; i++) {
            String text = prefix + i;
            try {
                producer.send(session.createTextMessage(text));
                synchronized (this) {
                    returned.add(text);
                    notifyAll();
                }
            } catch (JMSException e) {
                synchronized (this) {
                    failed.add(text);
                    if (firstFailure == null) {
                        firstFailure = e;
                    }
                    notifyAll();
                }
            }
            if (stopWhen.test(returnedCount())) {
                return;
            }
        }
    }

    synchronized int returnedCount() {
        return returned.size();
    }

    /** Waits until at least {@code n} sends returned; false if the producer ended or {@code max} passed first. */
    synchronized boolean awaitReturned(int n, Duration max) throws InterruptedException {
        long until = System.nanoTime() + max.toNanos();
        while (returned.size() < n) {
            long left = until - System.nanoTime();
            if (left <= 0 || !thread.isAlive()) {
                return returned.size() >= n;
            }
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
        }
        return true;
    }

    /** Waits for the producer's thread to end; false if it still runs after {@code max}. */
    boolean awaitEnd(Duration max) throws InterruptedException {
        thread.join(Math.max(1, max.toMillis()));
        return !thread.isAlive();
    }

    synchronized List<String> returned() {
        return List.copyOf(returned);
    }

    synchronized List<String> failed() {
        return List.copyOf(failed);
    }

    synchronized JMSException firstFailure() {
        return firstFailure;
    }

    @Override
    public void close() throws JMSException, InterruptedException {
        stopWhen = n -> true;
        thread.join(TimeUnit.SECONDS.toMillis(30));
        connection.close();
    }
}
