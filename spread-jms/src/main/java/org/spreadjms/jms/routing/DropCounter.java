package org.spreadjms.jms.routing;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;

/**
 * Counts messages a bounded buffer dropped for want of room (a slow consumer, a full mailbox). It logs at most one
 * line per {@value #LOG_INTERVAL_SECONDS} s, with counts, instead of one line per message, and says when an
 * <em>episode</em> starts (the first drop after the buffer last ran empty), which is when the application is told.
 * Thread-safe.
 */
public final class DropCounter {
    static final long LOG_INTERVAL_SECONDS = 10;
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(LOG_INTERVAL_SECONDS);

    private final Logger log;
    private final String what;
    private long total;
    private long episode;
    private long unlogged;
    private long lastLogNanos;
    private volatile boolean inEpisode;

    /**
     * @param log  where the lines go
     * @param what the buffer, for the log lines ("consumer on queue://work")
     */
    public DropCounter(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    /**
     * Counts one dropped message.
     *
     * @param id     its JMSMessageID, for the log
     * @param bounds the bounds that were reached, for the log
     * @return true when this drop starts an episode: the caller tells the application, once
     */
    public synchronized boolean dropped(String id, String bounds) {
        total++;
        episode++;
        unlogged++;
        boolean first = !inEpisode;
        inEpisode = true;
        long now = System.nanoTime();
        if (first || now - lastLogNanos >= LOG_INTERVAL_NANOS) {
            log.warn("{} is behind ({}): dropped {} message(s) since the last line, the latest {}; {} in this"
                    + " episode, {} in all", what, bounds, unlogged, id, episode, total);
            unlogged = 0;
            lastLogNanos = now;
        }
        return first;
    }

    /** The buffer ran empty: the episode, if any, is over. Cheap when there is none. */
    public void caughtUp() {
        if (!inEpisode) {
            return;
        }
        synchronized (this) {
            if (!inEpisode) {
                return;
            }
            inEpisode = false;
            log.warn("{} caught up after dropping {} message(s) ({} not reported before; {} in all)", what, episode,
                    unlogged, total);
            episode = 0;
            unlogged = 0;
        }
    }

    /** Messages dropped since the buffer was created. */
    public synchronized long total() {
        return total;
    }
}
