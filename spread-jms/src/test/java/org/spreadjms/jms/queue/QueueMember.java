package org.spreadjms.jms.queue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.jms.JMSException;

import org.spreadjms.jms.destination.SpreadQueue;
import org.spreadjms.jms.message.MessageSelector;
import org.spreadjms.jms.message.ObjectMessageFilter;
import org.spreadjms.jms.message.SpreadMessage;
import org.spreadjms.jms.provider.FakeProvider;
import org.spreadjms.jms.provider.FakeSpread;
import org.spreadjms.jms.routing.ConsumerRegistration;
import org.spreadjms.jms.routing.ConsumerRouting;

/**
 * One connection's routing (the real {@link ConsumerRouting}, its queue protocols and control outboxes) on a
 * {@link FakeSpread} bus, with a timer thread of its own as a connection has; its consumers only record what they
 * are given.
 */
final class QueueMember implements AutoCloseable {
    /** A message handed to local consumer {@code consumer}. */
    record Taken(long consumer, SpreadMessage message) {
    }

    final FakeProvider provider;
    final ScheduledExecutorService timer;
    final ConsumerRouting routing;
    final List<Taken> taken = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    QueueMember(FakeSpread bus, String name) throws JMSException {
        provider = bus.provider(name);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "timer-" + name);
            t.setDaemon(true);
            return t;
        });
        routing = new ConsumerRouting(provider, ObjectMessageFilter.defaults(), false, 10_000, 64L << 20,
                Duration.ofSeconds(10), timer, (id, m) -> taken.add(new Taken(id, m)), e -> {
                }, e -> {
                });
        provider.start(routing.listener());
    }

    String name() {
        return provider.privateGroup();
    }

    /** Adds a consumer of named queue {@code queue} with {@code selector} (or null); joins the queue's group. */
    ConsumerRegistration consume(String queue, String selector) throws JMSException {
        ConsumerRegistration r = new ConsumerRegistration(ids.incrementAndGet(), new SpreadQueue(queue), null,
                MessageSelector.parse(selector), false);
        routing.addConsumer(r);
        return r;
    }

    /** The local consumer that took {@code m} consumed it. */
    void ack(ConsumerRegistration c, SpreadMessage m) {
        routing.acknowledged(c, m);
    }

    List<String> takenIds() {
        return taken.stream().map(t -> t.message().getJMSMessageID()).toList();
    }

    @Override
    public void close() {
        routing.close();
        provider.close();
        timer.shutdownNow();
    }
}
