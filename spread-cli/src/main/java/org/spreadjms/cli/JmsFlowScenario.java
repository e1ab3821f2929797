package org.spreadjms.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.spreadjms.client.ServiceType;
import org.spreadjms.jms.SpreadConnectionFactory;

/**
 * JMS one-way flows, each endpoint on its own connection: one producer to one topic subscriber ({@code topic}), to N
 * topic subscribers ({@code fan-out}), or to N competing consumers of a queue ({@code queue}). At most
 * {@code window} deliveries are outstanding; consumers are MessageListeners, and each message carries its send time
 * in a property, so every delivery yields a one-way latency (under full load).
 */
final class JmsFlowScenario implements BenchScenario {
    enum Shape { TOPIC, FAN_OUT, QUEUE }

    private static final String SENT_NANOS = "benchSentNanos";

    private final String uri;
    private final Shape shape;
    private final int consumers;
    private final int size;
    private final int window;
    private final ServiceType service;
    private final String name = "bench-" + Long.toHexString(System.nanoTime() & 0xFFFFFF);
    private final List<Connection> connections = new ArrayList<>();
    private final AtomicReference<Throwable> listenerError = new AtomicReference<>();
    private MessageProducer producer;
    private BytesMessage message;
    private volatile Run current;

    /** The state of one run, shared with the listener threads. */
    private static final class Run {
        final long expected;
        final long[] latencies;
        final AtomicInteger claimed = new AtomicInteger();
        final AtomicInteger completed = new AtomicInteger();
        final AtomicLongArray perConsumer;
        final Semaphore credits;
        final CountDownLatch done = new CountDownLatch(1);

        Run(long expected, int consumers, int window) {
            this.expected = expected;
            this.latencies = new long[(int) expected];
            this.perConsumer = new AtomicLongArray(consumers);
            this.credits = new Semaphore(window);
        }
    }

    JmsFlowScenario(String uri, Shape shape, int consumers, int size, int window, ServiceType service) {
        this.uri = uri;
        this.shape = shape;
        this.consumers = shape == Shape.TOPIC ? 1 : consumers;
        this.size = size;
        this.window = Math.max(window, deliveriesPerMessage());
        this.service = service;
    }

    private int deliveriesPerMessage() {
        return shape == Shape.QUEUE ? 1 : consumers;
    }

    @Override
    public String describe() {
        String to = switch (shape) {
            case TOPIC -> "1 subscriber of topic '" + name + "'";
            case FAN_OUT -> consumers + " subscribers of topic '" + name + "' (each gets every message)";
            case QUEUE -> consumers + " competing consumers of queue '" + name + "' (each message to one)";
        };
        return "JMS: 1 producer -> " + to + ", each on its own connection, " + window + " deliveries in flight, "
                + (service == null ? "NON_PERSISTENT (FIFO)" : service);
    }

    @Override
    public void open() throws Exception {
        SpreadConnectionFactory factory = new SpreadConnectionFactory(uri);
        String dest = service == null ? name : name + "?serviceType=" + service;
        for (int i = 0; i < consumers; i++) {
            Connection c = factory.createConnection();
            connections.add(c);
            c.setExceptionListener(e -> listenerError.compareAndSet(null, e));
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(destination(s, dest)).setMessageListener(listener(i));
            c.start();
        }
        Connection pc = factory.createConnection();
        connections.add(pc);
        Session ps = pc.createSession(Session.AUTO_ACKNOWLEDGE);
        producer = ps.createProducer(destination(ps, dest));
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        producer.setDisableMessageTimestamp(true);
        message = ps.createBytesMessage();
        message.writeBytes(new byte[size]);
    }

    private Destination destination(Session s, String dest) throws JMSException {
        return shape == Shape.QUEUE ? s.createQueue(dest) : s.createTopic(dest);
    }

    private MessageListener listener(int consumer) {
        return m -> {
            Run run = current;
            try {
                long latency = System.nanoTime() - m.getLongProperty(SENT_NANOS);
                int i = run.claimed.getAndIncrement();
                if (i < run.latencies.length) {
                    run.latencies[i] = latency;
                }
                run.perConsumer.incrementAndGet(consumer);
                run.credits.release();
                // completed counts after the latency is written, so the last one sees every write
                if (run.completed.incrementAndGet() == run.expected) {
                    run.done.countDown();
                }
            } catch (JMSException | RuntimeException e) {
                listenerError.compareAndSet(null, e);
            }
        };
    }

    @Override
    public BenchResult run(int count, ProgressBar progress, long deadlineNanos) throws Exception {
        int per = deliveriesPerMessage();
        Run run = new Run((long) count * per, consumers, window);
        current = run;
        long start = System.nanoTime();
        for (int sent = 0; sent < count; sent++) {
            if (!run.credits.tryAcquire(per, Deadlines.STALL.toMillis(), TimeUnit.MILLISECONDS)) {
                throw Deadlines.stalled(shape.name().toLowerCase(Locale.ROOT), run.completed.get(), run.expected);
            }
            message.setLongProperty(SENT_NANOS, System.nanoTime());
            producer.send(message);
            if ((sent & 1023) == 0) {
                checkHealth(run, deadlineNanos);
                if (progress != null) {
                    progress.update(run.completed.get() / per);
                }
            }
        }
        long lastCompleted = -1;
        long lastChange = System.nanoTime();
        while (!run.done.await(100, TimeUnit.MILLISECONDS)) {
            checkHealth(run, deadlineNanos);
            long c = run.completed.get();
            if (c != lastCompleted) {
                lastCompleted = c;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > Deadlines.STALL.toNanos()) {
                throw Deadlines.stalled(shape.name().toLowerCase(Locale.ROOT), c, run.expected);
            }
            if (progress != null) {
                progress.update(c / per);
            }
        }
        long nanos = System.nanoTime() - start;
        if (progress != null) {
            progress.update(count);
        }
        return new BenchResult(run.expected, run.expected * size, nanos, run.latencies);
    }

    private void checkHealth(Run run, long deadlineNanos) {
        Throwable e = listenerError.get();
        if (e != null) {
            throw new IllegalStateException("a consumer failed: " + e.getMessage(), e);
        }
        Deadlines.check(deadlineNanos, shape.name().toLowerCase(Locale.ROOT), run.completed.get(), run.expected);
    }

    @Override
    public String extraKeyValues() {
        StringBuilder s = new StringBuilder("consumers=" + consumers);
        Run run = current;
        if (shape == Shape.QUEUE && run != null) {
            s.append(" per_consumer=");
            for (int i = 0; i < consumers; i++) {
                s.append(i == 0 ? "" : "/").append(run.perConsumer.get(i));
            }
        }
        return s.toString();
    }

    @Override
    public void close() {
        for (Connection c : connections) {
            try {
                c.close();
            } catch (JMSException e) {
                // closing at the end of a run: the figures are already taken, the next connection still closes
                listenerError.compareAndSet(null, e);
            }
        }
        connections.clear();
    }
}
