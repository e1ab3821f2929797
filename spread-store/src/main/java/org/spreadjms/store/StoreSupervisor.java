package org.spreadjms.store;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.SpreadError;
import org.spreadjms.client.SpreadException;
import org.spreadjms.client.SpreadOptions;
import org.spreadjms.store.log.StoreException;

/**
 * Keeps a {@link StoreMember} running over a list of daemons: a store member is a plain Spread client, which ends when
 * its connection to the daemon is lost. The supervisor then closes it and starts a new one on the same data
 * directory, with the same private name and options, against the next daemon of the list (the same one again when
 * the list has one), retrying with a bounded exponential backoff until a daemon accepts, forever or until
 * {@link #close()}. The new member catches up by state transfer from a serving member, as any restarted member does.
 *
 * <p>A member that fails for any other reason (its log failed: disk full, corrupt file, I/O error; or a state transfer
 * went wrong) is not restarted: the supervisor ends and {@link #ended()} completes with the reason, so that a
 * member whose disk failed stays out of the replica group (issue 14). So does a daemon's refusal that another
 * attempt cannot change (authentication, access control, an illegal private name).
 *
 * <p>One thread ({@code store-supervisor-<name>}) starts and watches the members; the methods here may be called
 * from any thread.
 */
public final class StoreSupervisor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreSupervisor.class);
    /**
     * Refusals a later attempt can overcome: no daemon there, a connection lost during the start, a daemon full or
     * still holding the old session's private name. Others (authentication, access, an illegal name) end it.
     */
    private static final Set<SpreadError> RETRIED = EnumSet.of(SpreadError.COULD_NOT_CONNECT,
            SpreadError.CONNECTION_CLOSED, SpreadError.NET_ERROR_ON_SESSION, SpreadError.REJECT_NOT_UNIQUE,
            SpreadError.REJECT_QUOTA, SpreadError.REJECT_NO_NAME);

    private final StoreMemberOptions options;
    private final List<String> daemons;
    private final Backoff backoff;
    private final UnaryOperator<SpreadOptions.Builder> settings;
    private final Thread thread;
    private final Object lock = new Object();
    private final CompletableFuture<Void> closing = new CompletableFuture<>();
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private StoreMember current;
    private int attempts;
    private int starts;

    /**
     * How long the supervisor waits between attempts that found no daemon: {@code initial}, doubling up to
     * {@code max}; back to {@code initial} once a member served.
     */
    public record Backoff(Duration initial, Duration max) {
        /** 100 ms doubling to 5 s. */
        public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

        public Backoff {
            Objects.requireNonNull(initial, "initial");
            Objects.requireNonNull(max, "max");
            if (initial.isNegative() || initial.isZero()) {
                throw new IllegalArgumentException("the initial reconnect delay must be positive, not " + initial);
            }
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("the maximum reconnect delay " + max.toMillis() + " ms is below"
                        + " the initial one, " + initial.toMillis() + " ms");
            }
        }

        Duration after(Duration delay) {
            Duration twice = delay.multipliedBy(2);
            return twice.compareTo(max) > 0 ? max : twice;
        }
    }

    private StoreSupervisor(StoreMemberOptions options, List<String> daemons, Backoff backoff,
                            UnaryOperator<SpreadOptions.Builder> settings) {
        this.options = options.withFixedPrivateName();
        this.daemons = List.copyOf(daemons);
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.settings = Objects.requireNonNull(settings, "settings");
        if (this.daemons.isEmpty()) {
            throw new IllegalArgumentException("a store supervisor needs at least one daemon");
        }
        this.thread = new Thread(this::run, "store-supervisor-" + this.options.spreadPrivateName());
        this.thread.setDaemon(true);
    }

    /**
     * Starts supervising: the first member is started on {@code daemons.get(0)} (then the next ones) from the
     * supervisor's thread; {@link #awaitServing} waits for one to serve.
     *
     * @param options  the members' options; their {@code daemon} is replaced by each of {@code daemons} in turn, an
     *                 empty private name by one random name kept for every member
     * @param daemons  the daemons, as {@code port} or {@code port@host}, tried in this order, round and round
     */
    public static StoreSupervisor start(StoreMemberOptions options, List<String> daemons, Backoff backoff,
                                        UnaryOperator<SpreadOptions.Builder> settings) {
        StoreSupervisor s = new StoreSupervisor(options, daemons, backoff, settings);
        s.thread.start();
        return s;
    }

    /** As {@link #start(StoreMemberOptions, List, Backoff, UnaryOperator)} with the default backoff and settings. */
    public static StoreSupervisor start(StoreMemberOptions options, List<String> daemons) {
        return start(options, daemons, Backoff.DEFAULT, b -> b);
    }

    private void run() {
        Duration delay = backoff.initial();
        int next = 0;
        boolean wait = false;
        while (!closing.isDone()) {
            if (wait) {
                if (pause(delay)) {
                    break;
                }
                delay = backoff.after(delay);
            }
            String daemon = daemons.get(next);
            next = (next + 1) % daemons.size();
            int attempt;
            synchronized (lock) {
                attempt = ++attempts;
            }
            LOG.info("store member {}: attempt {} on daemon {}", options.spreadPrivateName(), attempt, daemon);
            StoreMember m;
            try {
                m = StoreMember.start(options.withDaemon(daemon), settings);
            } catch (SpreadException e) {
                if (!RETRIED.contains(e.error())) {
                    end("store member " + options.spreadPrivateName() + " was refused by daemon " + daemon + " ("
                            + e.error() + "), not retried: " + e.getMessage());
                    return;
                }
                LOG.warn("store member {}: daemon {} did not take it ({}); next attempt in {} ms",
                        options.spreadPrivateName(), daemon, e.getMessage(), delay.toMillis());
                wait = true;
                continue;
            } catch (TimeoutException e) {
                LOG.warn("store member {}: daemon {} did not take it ({}); next attempt in {} ms",
                        options.spreadPrivateName(), daemon, e.getMessage(), delay.toMillis());
                wait = true;
                continue;
            } catch (StoreException | RuntimeException e) {
                end("store member " + options.spreadPrivateName() + " could not start: " + e.getMessage());
                return;
            }
            synchronized (lock) {
                starts++;
                current = m;
                lock.notifyAll();
            }
            String why = watch(m);
            StoreMember.FailureCause cause = m.failureCause();
            boolean served = m.hasServed();
            synchronized (lock) {
                current = null;
                lock.notifyAll();
            }
            m.close();
            if (why == null) {
                break; // closing
            }
            if (cause != StoreMember.FailureCause.CONNECTION_LOST) {
                end("store member " + options.spreadPrivateName() + " failed and is not restarted (" + cause + "): "
                        + why);
                return;
            }
            if (served) {
                delay = backoff.initial();
            }
            wait = !served; // a member that served goes straight to the next daemon
            LOG.warn("store member {} lost daemon {} ({}); starting it again on the next daemon",
                    options.spreadPrivateName(), daemon, why);
        }
        end("closed");
    }

    /** Waits until {@code m} fails (its reason) or the supervisor closes (null). */
    private String watch(StoreMember m) {
        try {
            CompletableFuture.anyOf(m.failure(), closing).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a failure future completed exceptionally", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        return m.failure().getNow(null);
    }

    /** Waits {@code delay} unless the supervisor closes first; true if it closed. */
    private boolean pause(Duration delay) {
        try {
            closing.get(delay.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("the closing future completed exceptionally", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private void end(String reason) {
        synchronized (lock) {
            lock.notifyAll();
        }
        if (!reason.equals("closed")) {
            LOG.error("{}", reason);
        }
        ended.complete(reason);
    }

    /** The member running now, or null between members (and after the supervisor ended). */
    public StoreMember member() {
        synchronized (lock) {
            return current;
        }
    }

    /** Whether a member runs and serves. */
    public boolean isServing() {
        StoreMember m = member();
        return m != null && !m.failure().isDone() && m.isServing();
    }

    /** Members started so far (the first one included): one more after each reconnection. */
    public int starts() {
        synchronized (lock) {
            return starts;
        }
    }

    /** Attempts to start a member so far, the ones no daemon took included. */
    public int attempts() {
        synchronized (lock) {
            return attempts;
        }
    }

    /** The daemons, in the order they are tried. */
    public List<String> daemons() {
        return daemons;
    }

    /** The members' options (with the private name every member uses). */
    public StoreMemberOptions options() {
        return options;
    }

    /**
     * Completes with the reason once the supervisor stopped starting members: a member failed for another reason
     * than a lost connection, or {@code "closed"} after {@link #close()}.
     */
    public CompletableFuture<String> ended() {
        return ended;
    }

    /**
     * Waits until a member serves; a member that fails while catching up is replaced and waited for in turn.
     *
     * @throws StoreException if the supervisor ended (the reason in the message)
     */
    public StoreMember awaitServing(Duration timeout) throws TimeoutException, StoreException {
        long deadline = System.nanoTime() + timeout.toNanos();
        StoreMember failed = null;
        while (true) {
            StoreMember m;
            synchronized (lock) {
                while ((current == null || current == failed || current.failure().isDone()) && !ended.isDone()) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        throw new TimeoutException("no store member " + options.spreadPrivateName() + " served"
                                + " within " + timeout.toMillis() + " ms (" + attempts + " attempt(s) on "
                                + daemons + ")");
                    }
                    try {
                        lock.wait(left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new TimeoutException("interrupted while waiting for a store member to serve");
                    }
                }
                if (ended.isDone()) {
                    throw new StoreException(StoreException.Kind.IO, "the store supervisor of "
                            + options.spreadPrivateName() + " ended: " + ended.getNow(null), null);
                }
                m = current;
            }
            try {
                m.awaitServing(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                if (!m.failure().isDone()) {
                    return m;
                }
                failed = m; // it served, then lost its daemon: wait for the next one
            } catch (StoreException e) {
                failed = m; // replaced (or the supervisor ends): wait for what comes next
            }
        }
    }

    /** Closes the member running now and stops starting new ones. Idempotent. */
    @Override
    public void close() {
        closing.complete(null);
        if (Thread.currentThread() != thread) {
            try {
                // a start in progress ends within the members' timeout (connect, joins)
                thread.join(options.timeout().multipliedBy(3).plusSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        StoreMember m = member();
        if (m != null) {
            m.close();
        }
    }
}
