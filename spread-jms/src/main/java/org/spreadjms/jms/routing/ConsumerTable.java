package org.spreadjms.jms.routing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.spreadjms.jms.message.MessageCopies;
import org.spreadjms.jms.message.SpreadMessage;

/**
 * The consumers a connection routes to: topic subscribers by topic, and competing consumers (queues, shared
 * subscriptions) by their competition key, taken round robin. Lists are copy-on-write: the dispatcher thread reads
 * them without a lock while consumers come and go.
 */
final class ConsumerTable {
    private static final ConsumerRegistration[] NONE = new ConsumerRegistration[0];

    private final ConsumerSink sink;
    private final Map<String, List<ConsumerRegistration>> byTopic = new ConcurrentHashMap<>();
    private final Map<String, List<ConsumerRegistration>> competing = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();
    /** Shared subscription names by topic. */
    private final Map<String, List<String>> sharedByTopic = new ConcurrentHashMap<>();

    ConsumerTable(ConsumerSink sink) {
        this.sink = sink;
    }

    void addSubscriber(ConsumerRegistration c) {
        byTopic.computeIfAbsent(c.destination().getName(), k -> new CopyOnWriteArrayList<>()).add(c);
    }

    boolean removeSubscriber(ConsumerRegistration c) {
        List<ConsumerRegistration> l = byTopic.get(c.destination().getName());
        return l != null && l.remove(c);
    }

    void addCompeting(ConsumerRegistration c) {
        competing.computeIfAbsent(c.competitionKey(), k -> new CopyOnWriteArrayList<>()).add(c);
        if (c.sharedName() != null) {
            ((CopyOnWriteArrayList<String>) sharedByTopic.computeIfAbsent(c.destination().getName(),
                    k -> new CopyOnWriteArrayList<>())).addIfAbsent(c.sharedName());
        }
    }

    /** Removes a competing consumer; true if it was there. */
    boolean removeCompeting(ConsumerRegistration c) {
        List<ConsumerRegistration> l = competing.get(c.competitionKey());
        return l != null && l.remove(c);
    }

    boolean hasCompeting(String key) {
        List<ConsumerRegistration> l = competing.get(key);
        return l != null && !l.isEmpty();
    }

    /** Wakes the sessions the dispatcher thread handed messages to without a wake-up ({@link ConsumerSink}). */
    void dispatcherIdle() {
        sink.dispatcherIdle();
    }

    /** Topic names that have subscribers here. */
    Iterable<String> topics() {
        return byTopic.keySet();
    }

    /** Shared subscription names of {@code topic} (possibly without consumers now). */
    List<String> sharedSubscriptions(String topic) {
        return sharedByTopic.getOrDefault(topic, List.of());
    }

    /**
     * Gives a topic message to every subscriber of {@code topic} that accepts it, each its own instance. Every copy is
     * made before any subscriber has one: a subscriber's thread may change its instance as soon as it has it.
     */
    void deliverToSubscribers(String topic, SpreadMessage m, String me) {
        List<ConsumerRegistration> l = byTopic.get(topic);
        if (l == null || l.isEmpty()) {
            return;
        }
        ConsumerRegistration[] targets = l.toArray(NONE); // a snapshot: the list is copy-on-write
        if (targets.length == 1) {
            if (targets[0].accepts(m, me)) {
                sink.deliver(targets[0].id(), m);
            }
            return;
        }
        SpreadMessage[] copies = new SpreadMessage[targets.length];
        copies[0] = m;
        for (int i = 1; i < copies.length; i++) {
            copies[i] = MessageCopies.readOnly(m);
        }
        for (int i = 0; i < copies.length; i++) {
            if (targets[i].accepts(copies[i], me)) {
                sink.deliver(targets[i].id(), copies[i]);
            }
        }
    }

    /** Gives a message to one competing consumer of {@code key} that accepts it (round robin); false when none does. */
    boolean deliverToOne(String key, SpreadMessage m, String me) {
        List<ConsumerRegistration> l = competing.get(key);
        if (l == null || l.isEmpty()) {
            return false;
        }
        ConsumerRegistration[] cs = l.toArray(NONE); // a snapshot: the list is copy-on-write
        int n = cs.length;
        if (n == 0) {
            return false;
        }
        int start = Math.floorMod(roundRobin.computeIfAbsent(key, k -> new AtomicInteger()).getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            ConsumerRegistration c = cs[(start + i) % n];
            if (c.accepts(m, me) && sink.deliver(c.id(), m)) {
                return true;
            }
        }
        return false;
    }
}
