package org.spreadjms.bench;

import java.util.Locale;

/** The workloads, each with the key used in the {@code key=value} report. */
enum Workload {
    /** One producer, one consumer on a topic: messages per second. */
    TOPIC("topic"),
    /** One requester, one responder on a queue, replies over a temporary queue: round-trip latency. */
    RR("rr"),
    /** One producer, 1..n competing consumers on a queue: messages per second. */
    QUEUE("queue"),
    /** One producer, one consumer on a queue, PERSISTENT: messages per second and the time of each send. */
    PQUEUE("pqueue", true),
    /** One producer, one durable subscriber on a topic, PERSISTENT: messages per second and send time. */
    PTOPIC("ptopic", true),
    /** The producer sends everything to a queue without consumer, then a consumer drains it, PERSISTENT. */
    PBACKLOG("pbacklog", true);

    private final String key;
    private final boolean persistent;

    Workload(String key) {
        this(key, false);
    }

    Workload(String key, boolean persistent) {
        this.key = key;
        this.persistent = persistent;
    }

    String key() {
        return key;
    }

    /** Whether it sends PERSISTENT messages (run against hosts with persistence on, a store member for Spread). */
    boolean isPersistent() {
        return persistent;
    }

    static Workload fromKey(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT);
        for (Workload w : values()) {
            if (w.key.equals(k)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + key
                + "' (known: topic, rr, queue, pqueue, ptopic, pbacklog)");
    }
}
