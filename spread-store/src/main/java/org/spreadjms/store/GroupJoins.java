package org.spreadjms.store;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadException;

/**
 * A store member's joins and leaves of the groups of durable subscriptions and kept queues. They run one at a time,
 * in the order asked, on a thread of their own ({@code store-joins}), never on the dispatcher thread (a join waits
 * for the daemon's answer, which that thread delivers); tasks given to {@link #then} run on that thread after every
 * join asked before them.
 *
 * <p>It remembers which groups the member joined or is joining, so that each is joined once. (When a join returned
 * says nothing about where the dispatcher thread is in the ordered stream: the join's membership message may still
 * be waiting there behind other messages. Where a member is in a group in stream order is tracked from the
 * membership messages, on the dispatcher thread: {@link Subscriptions#onMembership}.)
 */
final class GroupJoins implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupJoins.class);

    private final SpreadConnection connection;
    private final Duration timeout;
    private final ExecutorService thread;
    /** Groups joined or being joined. */
    private final Set<String> joined = ConcurrentHashMap.newKeySet();

    GroupJoins(SpreadConnection connection, Duration timeout) {
        this.connection = connection;
        this.timeout = timeout;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "store-joins-" + connection.privateGroup());
            t.setDaemon(true);
            return t;
        });
    }

    /** Joins {@code group} on the calling thread unless joined, waiting for the join (at start). */
    void joinNow(String group) throws SpreadException, TimeoutException {
        if (joined.add(group)) {
            try {
                connection.join(group, timeout);
            } catch (SpreadException | TimeoutException | RuntimeException e) {
                joined.remove(group);
                throw e;
            }
        }
    }

    /**
     * Joins {@code groups} unless joined, then runs {@code then} (may be null), on the joins thread; a join that
     * fails is logged (naming {@code what} it was for) and the rest, {@code then} included, is skipped.
     */
    void joinLater(Collection<String> groups, String what, Runnable then) {
        thread.execute(() -> {
            try {
                joinEach(groups);
            } catch (SpreadException | TimeoutException | RuntimeException e) {
                LOG.warn("{}: could not join {} for {}: {}", connection.privateGroup(), groups, what, e.toString());
                return;
            }
            if (then != null) {
                then.run();
            }
        });
    }

    /**
     * Joins {@code groups} unless joined, on the joins thread after what is queued; the future completes there
     * once all are joined, or with the first failure.
     */
    CompletableFuture<Void> joinAll(Collection<String> groups) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        thread.execute(() -> {
            try {
                joinEach(groups);
                done.complete(null);
            } catch (SpreadException | TimeoutException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    private void joinEach(Collection<String> groups) throws SpreadException, TimeoutException {
        for (String g : groups) {
            joinNow(g);
        }
    }

    /** Runs {@code task} on the joins thread, after the joins and leaves asked before it. */
    void then(Runnable task) {
        thread.execute(task);
    }

    /** Leaves {@code group} on the joins thread, if joined. */
    void leaveLater(String group) {
        thread.execute(() -> {
            if (!joined.remove(group)) {
                return;
            }
            try {
                connection.leave(group, timeout);
            } catch (SpreadException | TimeoutException | RuntimeException e) {
                LOG.warn("{}: could not leave {}: {}", connection.privateGroup(), group, e.toString());
            }
        });
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
