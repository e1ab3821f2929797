package org.spreadjms.bench;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;

/**
 * The persistent workloads through plain jakarta.jms, identical for every provider: one producer connection (or
 * {@code --persistent-producers} of them, each on its own thread, sending at once) sends
 * PERSISTENT BytesMessages (created per send, not transacted), one consumer connection, started first, takes them
 * with an AUTO_ACKNOWLEDGE MessageListener that reads the whole body; on a queue ({@link #queue}) or on a topic
 * through a durable subscription ({@link #durableTopic}), or on a queue whose consumer starts once everything was
 * sent ({@link #backlog}). Each message carries its number in its first 8 bytes, so
 * the consumer checks that every message arrives exactly once. Every measured {@code send()} is timed: it returns
 * once the provider holds the message durable (the broker's journal forced, the store members' STORED arrived).
 * The producer keeps within the same {@link FlowWindow} as the NON_PERSISTENT workloads.
 */
final class PersistentWorkloads {
    private final ConnectionFactory factory;
    private final BenchOptions options;

    PersistentWorkloads(ConnectionFactory factory, BenchOptions options) {
        this.factory = factory;
        this.options = options;
    }

    /** One producer, one consumer on queue {@code name}. */
    PersistentRun queue(String name, Deadline deadline) throws Exception {
        FlowWindow window = new FlowWindow(options.window());
        List<Connection> connections = new ArrayList<>();
        try {
            Connection c = open(connections, window);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            SequenceListener listener = new SequenceListener(window, options.sizeBytes());
            s.createConsumer(s.createQueue(name)).setMessageListener(listener);
            c.start();
            return produce(connections, window, listener, false, name, deadline);
        } finally {
            JmsWorkloads.closeAll(connections);
        }
    }

    /**
     * Backlog on queue {@code name}: the producer sends every message while the queue has no consumer, then one
     * consumer starts and drains it; first the warm-up messages that way, then the measured ones. The throughput is
     * the drain's (consumer start to the last message consumed); the send times are those of the sends to the
     * queue without consumer.
     */
    PersistentRun backlog(String name, Deadline deadline) throws Exception {
        FlowWindow window = new FlowWindow(0); // nobody consumes while the producer sends
        SequenceListener listener = new SequenceListener(window, options.sizeBytes());
        List<Connection> connections = new ArrayList<>();
        try {
            Connection pc = open(connections, window);
            Session ps = pc.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = ps.createProducer(ps.createQueue(name));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            long sent = send(ps, producer, window, 0, options.persistent().warmup(), null, deadline);
            drain(name, window, listener, sent, deadline);
            int measured = options.persistent().messages();
            long[] sendNanos = new long[measured];
            sent = send(ps, producer, window, sent, measured, sendNanos, deadline);
            Throughput.Stopwatch watch = Throughput.start();
            drain(name, window, listener, sent, deadline);
            return result(watch.stop(measured), sendNanos, sent, listener);
        } finally {
            JmsWorkloads.closeAll(connections);
        }
    }

    /** Starts a consumer on its own connection, waits until {@code target} messages in all were consumed, closes. */
    private void drain(String name, FlowWindow window, SequenceListener listener, long target, Deadline deadline)
            throws Exception {
        List<Connection> consumer = new ArrayList<>();
        try {
            Connection c = open(consumer, window);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(s.createQueue(name)).setMessageListener(listener);
            c.start();
            window.awaitConsumed(target, deadline);
        } finally {
            JmsWorkloads.closeAll(consumer);
        }
    }

    /**
     * One producer on topic {@code name}, one durable subscription (client id and subscription name derived from
     * it) consuming. The subscription is removed afterwards.
     *
     * @throws UnsupportedWorkloadException if the provider refuses durable subscriptions for want of a store or
     *                                      support
     */
    PersistentRun durableTopic(String name, Deadline deadline) throws Exception {
        FlowWindow window = new FlowWindow(options.window());
        List<Connection> connections = new ArrayList<>();
        String subscription = "sub-" + name;
        Session subscriberSession = null;
        MessageConsumer subscriber = null;
        try {
            Connection c = factory.createConnection();
            connections.add(c);
            c.setClientID("bench-" + name);
            c.setExceptionListener(window::fail);
            subscriberSession = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = subscriberSession.createTopic(name);
            try {
                subscriber = subscriberSession.createDurableConsumer(topic, subscription);
            } catch (JMSException | UnsupportedOperationException e) {
                if (refusesDurable(e)) {
                    throw new UnsupportedWorkloadException("durable subscriptions refused: " + e.getMessage(), e);
                }
                throw e;
            }
            SequenceListener listener = new SequenceListener(window, options.sizeBytes());
            subscriber.setMessageListener(listener);
            c.start();
            return produce(connections, window, listener, true, name, deadline);
        } finally {
            if (subscriber != null) {
                unsubscribe(subscriberSession, subscriber, subscription);
            }
            JmsWorkloads.closeAll(connections);
        }
    }

    /** Whether createDurableConsumer's exception says durable subscriptions are not there (rather than broken). */
    static boolean refusesDurable(Exception e) {
        if (e instanceof UnsupportedOperationException) {
            return true;
        }
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("durable") && (m.contains("store") || m.contains("support"));
    }

    private static void unsubscribe(Session session, MessageConsumer subscriber, String subscription) {
        try {
            subscriber.close();
            session.unsubscribe(subscription);
        } catch (JMSException | RuntimeException e) {
            System.err.println("removing durable subscription " + subscription + " failed: " + e);
        }
    }

    /**
     * Opens the producers ({@code --persistent-producers}, each on its own connection), sends the warm-up then the
     * measured messages, each set until all are consumed.
     */
    private PersistentRun produce(List<Connection> connections, FlowWindow window, SequenceListener listener,
            boolean topic, String name, Deadline deadline) throws Exception {
        List<Sender> senders = new ArrayList<>();
        for (int i = 0; i < options.persistent().producers(); i++) {
            Connection pc = open(connections, window);
            Session ps = pc.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Destination d = topic ? ps.createTopic(name) : ps.createQueue(name);
            MessageProducer producer = ps.createProducer(d);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            senders.add(new Sender(ps, producer));
        }
        int measured = options.persistent().messages();
        long[] sendNanos = new long[measured];
        long sent = sendAll(senders, window, 0, options.persistent().warmup(), null, deadline);
        window.awaitConsumed(sent, deadline);
        Throughput.Stopwatch watch = Throughput.start();
        sent = sendAll(senders, window, sent, measured, sendNanos, deadline);
        window.awaitConsumed(sent, deadline);
        return result(watch.stop(measured), sendNanos, sent, listener);
    }

    private record Sender(Session session, MessageProducer producer) {
    }

    /**
     * Sends messages {@code sentBefore} to {@code sentBefore + count - 1}: with one sender on this thread, with
     * several on one thread each, all at once, every thread taking the next number; returns the new total.
     */
    private long sendAll(List<Sender> senders, FlowWindow window, long sentBefore, int count, long[] sendNanos,
            Deadline deadline) throws Exception {
        if (senders.size() == 1) {
            Sender s = senders.get(0);
            return send(s.session(), s.producer(), window, sentBefore, count, sendNanos, deadline);
        }
        AtomicLong next = new AtomicLong(sentBefore);
        long end = sentBefore + count;
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Sender s : senders) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            done.add(f);
            Thread t = new Thread(() -> {
                try {
                    byte[] filler = new byte[options.sizeBytes() - Long.BYTES];
                    for (long k = next.getAndIncrement(); k < end; k = next.getAndIncrement()) {
                        window.beforeSend(k, deadline);
                        long nanos = sendOne(s.session(), s.producer(), k, filler);
                        if (sendNanos != null) {
                            sendNanos[(int) (k - sentBefore)] = nanos;
                        }
                    }
                    f.complete(null);
                } catch (Throwable e) {
                    window.fail(e);
                    f.completeExceptionally(e);
                }
            }, "bench-producer-" + done.size());
            t.setDaemon(true);
            t.start();
        }
        for (CompletableFuture<Void> f : done) {
            try {
                f.get(Math.max(1, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception x ? x : e;
            } catch (TimeoutException e) {
                deadline.check(senders.size() + " producers to send " + count + " PERSISTENT messages");
                throw e;
            }
        }
        return end;
    }

    /** The run's figures, once every message sent was received (each once: the listener fails on a duplicate). */
    private static PersistentRun result(Throughput t, long[] sendNanos, long sent, SequenceListener listener) {
        long received = listener.received();
        if (received != sent) {
            throw new IllegalStateException(received + " distinct messages received for " + sent + " sent");
        }
        return new PersistentRun(t, new Latencies(sendNanos), sent, received);
    }

    /**
     * Sends {@code count} numbered messages within the window, timing each send into {@code sendNanos} (unless
     * null); returns the new total.
     */
    private long send(Session session, MessageProducer producer, FlowWindow window, long sentBefore, int count,
            long[] sendNanos, Deadline deadline) throws Exception {
        byte[] filler = new byte[options.sizeBytes() - Long.BYTES];
        long sent = sentBefore;
        for (int i = 0; i < count; i++) {
            window.beforeSend(sent, deadline);
            if ((i & 255) == 0) {
                deadline.check("the producer to send " + count + " PERSISTENT messages (" + i + " sent)");
            }
            long t = sendOne(session, producer, sent, filler);
            if (sendNanos != null) {
                sendNanos[i] = t;
            }
            sent++;
        }
        return sent;
    }

    /** Sends message number {@code n}; returns how long {@code send()} took in nanoseconds. */
    private static long sendOne(Session session, MessageProducer producer, long n, byte[] filler)
            throws JMSException {
        BytesMessage m = session.createBytesMessage();
        m.writeLong(n);
        m.writeBytes(filler);
        long t0 = System.nanoTime();
        producer.send(m);
        return System.nanoTime() - t0;
    }

    private Connection open(List<Connection> connections, FlowWindow window) throws JMSException {
        Connection c = factory.createConnection();
        connections.add(c);
        c.setExceptionListener(window::fail);
        return c;
    }

    /**
     * Reads each body whole, checks its size and number, and counts a message against the window the first time
     * its number arrives; a second arrival fails the run. Called by the consumer session's single thread.
     */
    private static final class SequenceListener implements MessageListener {
        private final FlowWindow window;
        private final byte[] buffer;
        private final BitSet seen = new BitSet();
        private long received;

        SequenceListener(FlowWindow window, int sizeBytes) {
            this.window = window;
            this.buffer = new byte[sizeBytes - Long.BYTES];
        }

        @Override
        public void onMessage(Message message) {
            try {
                BytesMessage m = (BytesMessage) message;
                if (m.getBodyLength() != buffer.length + Long.BYTES) {
                    window.fail(new IllegalStateException("body of " + m.getBodyLength() + " bytes, expected "
                            + (buffer.length + Long.BYTES)));
                    return;
                }
                long n = m.readLong();
                if (m.readBytes(buffer) != buffer.length || n < 0 || n > Integer.MAX_VALUE) {
                    window.fail(new IllegalStateException("malformed body (message number " + n + ")"));
                    return;
                }
                synchronized (this) {
                    if (seen.get((int) n)) {
                        window.fail(new IllegalStateException("message " + n + " delivered twice (redelivered: "
                                + m.getJMSRedelivered() + ")"));
                        return;
                    }
                    seen.set((int) n);
                    received++;
                }
            } catch (JMSException | RuntimeException e) {
                window.fail(e);
                return;
            }
            window.consumed();
        }

        synchronized long received() {
            return received;
        }
    }
}
