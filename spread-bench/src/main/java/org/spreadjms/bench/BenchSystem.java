package org.spreadjms.bench;

import java.util.Locale;

/** The systems compared, each with the key used in the {@code key=value} report. */
enum BenchSystem {
    /** The plain Spread client on the embedded daemon: the throughput baseline, not JMS. */
    RAW("raw", "raw spread-client"),
    SPREADJMS("spreadjms", "spread-jms"),
    CLASSIC("classic", "ActiveMQ Classic"),
    ARTEMIS("artemis", "ActiveMQ Artemis");

    private final String key;
    private final String label;

    BenchSystem(String key, String label) {
        this.key = key;
        this.label = label;
    }

    String key() {
        return key;
    }

    String label() {
        return label;
    }

    /** Whether it is reached through jakarta.jms (everything but the raw client). */
    boolean isJms() {
        return this != RAW;
    }

    static BenchSystem fromKey(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT);
        for (BenchSystem s : values()) {
            if (s.key.equals(k)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown system '" + key + "' (known: raw, spreadjms, classic, artemis)");
    }
}
