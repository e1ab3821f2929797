package org.spreadjms.client;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.spreadjms.client.membership.GroupView;

/**
 * The current view of every group this connection is in, updated by the reader as membership messages arrive, and
 * the joins waiting for the daemon's confirmation.
 */
final class MembershipTracker {
    private final String self;
    private final Map<String, GroupView> views = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<GroupView>> pendingJoins = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> pendingLeaves = new ConcurrentHashMap<>();
    /** Groups this session sent a LEAVE for whose self-leave has not arrived: their views are on the way out. */
    private final Set<String> leavesInFlight = ConcurrentHashMap.newKeySet();

    MembershipTracker(String self) {
        this.self = self;
    }

    void update(MembershipMessage m) {
        switch (m.reason()) {
            case SELF_LEAVE -> {
                views.remove(m.group());
                leavesInFlight.remove(m.group());
                CompletableFuture<Void> f = pendingLeaves.remove(m.group());
                if (f != null) {
                    f.complete(null);
                }
            }
            case JOIN, LEAVE, DISCONNECT, NETWORK -> {
                GroupView v = m.view();
                views.put(m.group(), v);
                // a view from before our own leave took effect does not confirm a new join
                if (v.contains(self) && !leavesInFlight.contains(m.group())) {
                    CompletableFuture<GroupView> f = pendingJoins.remove(m.group());
                    if (f != null) {
                        f.complete(v);
                    }
                }
            }
            case TRANSITIONAL -> {
                // the view stays until the regular membership that follows
            }
        }
    }

    GroupView view(String group) {
        return views.get(group);
    }

    /** Whether this session is a member of the group for good (a member, and no leave of it under way). */
    boolean isSettledMember(String group) {
        GroupView v = views.get(group);
        return v != null && v.contains(self) && !leavesInFlight.contains(group);
    }

    /** A LEAVE of the group is about to be sent. */
    void leaving(String group) {
        leavesInFlight.add(group);
    }

    Map<String, GroupView> views() {
        return Map.copyOf(views);
    }

    CompletableFuture<GroupView> expectJoin(String group) {
        return pendingJoins.computeIfAbsent(group, g -> new CompletableFuture<>());
    }

    CompletableFuture<Void> expectLeave(String group) {
        return pendingLeaves.computeIfAbsent(group, g -> new CompletableFuture<>());
    }

    void forget(String group, CompletableFuture<?> f) {
        pendingJoins.remove(group, f);
        pendingLeaves.remove(group, f);
    }

    /** The daemon refused this session's join of {@code group}: fails a waiting join. */
    void joinRefused(String group, SpreadException cause) {
        CompletableFuture<GroupView> f = pendingJoins.remove(group);
        if (f != null) {
            f.completeExceptionally(cause);
        }
    }

    void fail(SpreadException cause) {
        pendingJoins.values().forEach(f -> f.completeExceptionally(cause));
        pendingLeaves.values().forEach(f -> f.completeExceptionally(cause));
        pendingJoins.clear();
        pendingLeaves.clear();
    }
}
