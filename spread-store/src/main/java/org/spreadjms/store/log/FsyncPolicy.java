package org.spreadjms.store.log;

import java.time.Duration;
import java.util.Objects;

/**
 * When the log forces its writes to the disk, and so when an append counts as durable.
 *
 * <ul>
 *   <li>{@link #always()}: every write, deletes too, is forced before anything in it is acknowledged. The writer does not wait
 *       for company, but appends that arrive while a force runs share the next one.</li>
 *   <li>{@link #batch(Duration)} (the default, 2 ms): while appends come from several writers at once (the last
 *       group had more than one append, or an append waits), the writer collects what arrives while it keeps arriving (no gap over
 *       200 µs) and for at most the bound after the first, then writes and forces once (group commit): an append
 *       waits at most the bound plus one force, and less once its company has all arrived. A lone synchronous writer
 *       is not made to wait for company that cannot come: its appends are forced at once, as with always. A write
 *       holding only deletes (nobody waits for them) is not forced: a power loss may bring those messages back,
 *       marked redelivered, never lose one.</li>
 *   <li>{@link #never()}: writes go to the operating system without a force. An append completes once written: it
 *       survives the store process being killed, not a power loss or an operating-system crash.</li>
 * </ul>
 *
 * @param mode  the policy
 * @param bound the group-commit window of {@link Mode#BATCH}, zero otherwise
 */
public record FsyncPolicy(Mode mode, Duration bound) {
    /** The default window of {@link #batch(Duration)}. */
    public static final Duration DEFAULT_BATCH = Duration.ofMillis(2);
    private static final Duration MAX_BATCH = Duration.ofSeconds(1);

    public enum Mode { ALWAYS, BATCH, NEVER }

    public FsyncPolicy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(bound, "bound");
        if (mode == Mode.BATCH && (bound.isNegative() || bound.compareTo(MAX_BATCH) > 0)) {
            throw new IllegalArgumentException("fsync batch bound " + bound.toMillis() + " ms is outside 0.."
                    + MAX_BATCH.toMillis() + " ms");
        }
        if (mode != Mode.BATCH && !bound.isZero()) {
            throw new IllegalArgumentException("only the batch policy has a bound (" + mode + " got " + bound + ")");
        }
    }

    public static FsyncPolicy always() {
        return new FsyncPolicy(Mode.ALWAYS, Duration.ZERO);
    }

    public static FsyncPolicy batch(Duration bound) {
        return new FsyncPolicy(Mode.BATCH, bound);
    }

    public static FsyncPolicy never() {
        return new FsyncPolicy(Mode.NEVER, Duration.ZERO);
    }

    public static FsyncPolicy defaultPolicy() {
        return batch(DEFAULT_BATCH);
    }

    /**
     * Parses {@code always}, {@code never}, {@code batch} (default bound) or {@code batch:N} (N milliseconds).
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static FsyncPolicy parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("always")) {
            return always();
        }
        if (t.equals("never")) {
            return never();
        }
        if (t.equals("batch")) {
            return defaultPolicy();
        }
        if (t.startsWith("batch:")) {
            try {
                return batch(Duration.ofMillis(Long.parseLong(t.substring(6))));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("fsync policy '" + text + "': the bound after 'batch:' must be a"
                        + " whole number of milliseconds", e);
            }
        }
        throw new IllegalArgumentException("fsync policy '" + text + "' is not one of always, batch, batch:<ms>,"
                + " never");
    }

    @Override
    public String toString() {
        return mode == Mode.BATCH ? "batch:" + bound.toMillis() : mode.name().toLowerCase(java.util.Locale.ROOT);
    }
}
