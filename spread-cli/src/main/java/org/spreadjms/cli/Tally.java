package org.spreadjms.cli;

import java.util.Locale;

/** Counts messages and bytes and turns them into a rate, from the first message to the last. */
final class Tally {
    private final long startNanos = System.nanoTime();
    private long firstNanos;
    private long lastNanos;
    private long messages;
    private long bytes;

    void add(long messageBytes) {
        long now = System.nanoTime();
        if (messages == 0) {
            firstNanos = now;
        }
        lastNanos = now;
        messages++;
        bytes += messageBytes;
    }

    long messages() {
        return messages;
    }

    /** {@code verb N messages (B bytes) in S s: R msgs/s}; the rate is over the span of the messages themselves. */
    String summary(String verb) {
        double span = messages > 1 ? (lastNanos - firstNanos) / 1e9 : 0;
        double total = (System.nanoTime() - startNanos) / 1e9;
        String rate = span > 0
                ? String.format(Locale.ROOT, "%.0f msgs/s, %.2f MB/s", (messages - 1) / span, bytes / span / 1e6)
                : "rate n/a (fewer than 2 messages)";
        return String.format(Locale.ROOT, "%s %d message%s (%d bytes) in %.3f s: %s", verb, messages,
                messages == 1 ? "" : "s", bytes, total, rate);
    }
}
