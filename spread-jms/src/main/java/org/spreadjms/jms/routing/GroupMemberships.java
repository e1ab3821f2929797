package org.spreadjms.jms.routing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.jms.JMSException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.jms.errors.JmsErrors;
import org.spreadjms.jms.provider.Provider;

/**
 * The Spread groups one connection is a member of, with a count of users per group: the first user joins, the last
 * one leaves. Counting and the network are separate steps, so a caller can count under its own lock and join or
 * leave after releasing it: {@link #reserve} counts a user and returns a {@link Join} to complete outside any lock;
 * {@link #unreserve} uncounts one and returns the leave to run. Users of different groups never wait for each other;
 * a second user of a group waits (at most the join timeout) for the first user's join to be confirmed, and a join
 * right after a leave of the same group waits for that leave to have gone out first.
 *
 * <p>A group counts as joined from the moment its first user reserves it ({@link #isMember}), so messages that
 * follow the daemon's confirmation are routed before the join call returns.
 */
public final class GroupMemberships {
    private static final Logger LOG = LoggerFactory.getLogger(GroupMemberships.class);
    private static final Runnable NOTHING = () -> { };

    private static final class Membership {
        int users;
        final CompletableFuture<Void> joined = new CompletableFuture<>();
    }

    /** A counted user of a group whose join may still have to happen. */
    public interface Join {
        /** Joins (first user) or waits for the join (later users); on failure the user is uncounted. */
        void await() throws JMSException;
    }

    private final Provider provider;
    private final Duration joinTimeout;
    /** Mutated under {@code this}; read without a lock by the router. */
    private final Map<String, Membership> groups = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> leaving = new ConcurrentHashMap<>();

    public GroupMemberships(Provider provider, Duration joinTimeout) {
        this.provider = provider;
        this.joinTimeout = joinTimeout;
    }

    /** Whether this connection is (or is becoming) a member of {@code group}. */
    public boolean isMember(String group) {
        return groups.containsKey(group);
    }

    /** Counts a user of {@code group}, joining it if this is the first; returns once the join is confirmed. */
    public void acquire(String group) throws JMSException {
        reserve(group).await();
    }

    /** Uncounts a user of {@code group}; the last one leaves it. */
    public void release(String group) {
        unreserve(group).run();
    }

    /** Counts a user of {@code group}; never blocks. The returned join must be awaited. */
    public synchronized Join reserve(String group) {
        Membership existing = groups.get(group);
        Membership m = existing != null ? existing : new Membership();
        if (existing == null) {
            groups.put(group, m);
        }
        m.users++;
        if (existing != null) {
            return () -> awaitJoined(group, m);
        }
        CompletableFuture<Void> previousLeave = leaving.get(group);
        return () -> join(group, m, previousLeave);
    }

    /** Uncounts a user of {@code group}; never blocks. Returns the leave to run (a no-op unless it was the last). */
    public synchronized Runnable unreserve(String group) {
        Membership m = groups.get(group);
        if (m == null || --m.users > 0) {
            return NOTHING;
        }
        groups.remove(group);
        CompletableFuture<Void> left = new CompletableFuture<>();
        leaving.put(group, left);
        return () -> leave(group, m, left);
    }

    private void join(String group, Membership m, CompletableFuture<Void> previousLeave) throws JMSException {
        try {
            if (previousLeave != null) {
                await(previousLeave, "the leave of Spread group '" + group + "' before joining it again");
            }
            provider.join(group);
            m.joined.complete(null);
        } catch (JMSException | RuntimeException e) {
            synchronized (this) {
                groups.remove(group, m);
            }
            m.joined.completeExceptionally(e);
            throw e;
        }
    }

    private void awaitJoined(String group, Membership m) throws JMSException {
        try {
            await(m.joined, "the join of Spread group '" + group + "'");
        } catch (JMSException | RuntimeException e) {
            boolean counted;
            synchronized (this) {
                counted = groups.get(group) == m;
            }
            if (counted) {
                release(group); // the join goes on (or succeeded meanwhile): uncount this user
            }
            throw e;
        }
    }

    private void leave(String group, Membership m, CompletableFuture<Void> left) {
        try {
            m.joined.get(joinTimeout.toMillis(), TimeUnit.MILLISECONDS); // a join still under way goes first
            provider.leave(group);
        } catch (JMSException | ExecutionException | TimeoutException | RuntimeException e) {
            LOG.debug("leave of {} failed: {}", group, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            leaving.remove(group, left);
            left.complete(null);
        }
    }

    private void await(CompletableFuture<Void> f, String what) throws JMSException {
        try {
            f.get(joinTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof JMSException je) {
                throw je; // the first user's failure, of its type (security, invalid destination, ...)
            }
            throw JmsErrors.jms(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw JmsErrors.jms(what + " did not finish within " + joinTimeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw JmsErrors.jms("interrupted waiting for " + what, e);
        }
    }
}
