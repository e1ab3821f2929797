package org.spreadjms.bench;

import java.util.Locale;

/** The workloads, each with the key used in the {@code key=value} report. */
enum Workload {
    /** One producer, one consumer on a topic: messages per second. */
    TOPIC("topic"),
    /** One requester, one responder on a queue, replies over a temporary queue: round-trip latency. */
    RR("rr"),
    /** One producer, 1..n competing consumers on a queue: messages per second. */
    QUEUE("queue");

    private final String key;

    Workload(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }

    static Workload fromKey(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT);
        for (Workload w : values()) {
            if (w.key.equals(k)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + key + "' (known: topic, rr, queue)");
    }
}
