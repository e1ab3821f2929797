package org.spreadjms.jms.routing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.jms.JMSException;

import org.spreadjms.client.membership.GroupView;
import org.spreadjms.jms.errors.JmsErrors;
import org.spreadjms.jms.store.StoreMembers;
import org.spreadjms.jms.store.StoreReceipts;

/**
 * How many store members are running, as a connection learns it from the store's presence group (store members
 * join it, nobody sends to it; see {@link StoreMembers#presenceGroupOf}). A connection joins it the first time it
 * asks (its first PERSISTENT send with {@code storeAcks}), then every view keeps the count current at no cost.
 */
public final class StorePresence {
    private final GroupMemberships memberships;
    private final Duration joinTimeout;
    /** Per presence group: the store members in its last view, completed by the first view. */
    private final Map<String, CompletableFuture<Void>> firstView = new ConcurrentHashMap<>();
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    /** Presence groups in whose views this connection has seen a store member at least once. */
    private final java.util.Set<String> seen = ConcurrentHashMap.newKeySet();

    /** Told every view of a presence group (dispatcher thread). */
    private final StoreReceipts receipts;

    StorePresence(GroupMemberships memberships, Duration joinTimeout, StoreReceipts receipts) {
        this.memberships = memberships;
        this.joinTimeout = joinTimeout;
        this.receipts = receipts;
    }

    /** The store members of the replica group whose presence group is {@code presenceGroup}, joining it first. */
    public int storeMembers(String presenceGroup) throws JMSException {
        CompletableFuture<Void> seen = firstView.get(presenceGroup);
        if (seen == null) {
            CompletableFuture<Void> mine = new CompletableFuture<>();
            seen = firstView.putIfAbsent(presenceGroup, mine);
            if (seen == null) {
                seen = mine;
                try {
                    memberships.acquire(presenceGroup);
                } catch (JMSException | RuntimeException e) {
                    firstView.remove(presenceGroup, mine);
                    throw e;
                }
            }
        }
        try {
            seen.get(joinTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw JmsErrors.jms("no view of the store's presence group " + presenceGroup + " within "
                    + joinTimeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw JmsErrors.jms("could not watch the store's presence group " + presenceGroup, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw JmsErrors.jms("interrupted while joining the store's presence group " + presenceGroup, e);
        }
        return counts.getOrDefault(presenceGroup, 0);
    }

    /**
     * Whether this connection has seen a store member in {@code presenceGroup} since it joined it: then durable
     * subscriptions may exist even while no store member runs.
     */
    public boolean everSeen(String presenceGroup) {
        return seen.contains(presenceGroup);
    }

    /** A regular view of any group (dispatcher thread): counts the store members of a presence group. */
    void onView(GroupView view) {
        CompletableFuture<Void> seen = firstView.get(view.group());
        if (seen == null) {
            return;
        }
        java.util.Set<String> members = view.members().stream().filter(StoreMembers::isStoreMember)
                .collect(java.util.stream.Collectors.toSet());
        int n = members.size();
        // before the count: a sender that reads the new count registers against the new view
        receipts.onStoreView(view.group(), members);
        counts.put(view.group(), n);
        if (n > 0) {
            this.seen.add(view.group());
        }
        seen.complete(null);
    }
}
