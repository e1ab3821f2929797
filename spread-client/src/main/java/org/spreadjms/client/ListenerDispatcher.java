package org.spreadjms.client;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs listener callbacks on one dispatcher thread, draining the inbound queue in delivery order. Listeners may be
 * registered for all messages or for one group; a message naming several groups reaches each listener once.
 */
final class ListenerDispatcher implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerDispatcher.class);

    private final SpreadConnection connection;
    private final InboundQueue queue;
    private final List<SpreadListener> global = new CopyOnWriteArrayList<>();
    private final Map<String, List<SpreadListener>> byGroup = new ConcurrentHashMap<>();

    ListenerDispatcher(SpreadConnection connection, InboundQueue queue) {
        this.connection = connection;
        this.queue = queue;
    }

    void add(SpreadListener l) {
        global.add(l);
    }

    void add(String group, SpreadListener l) {
        byGroup.computeIfAbsent(group, g -> new CopyOnWriteArrayList<>()).add(l);
    }

    boolean remove(SpreadListener l) {
        boolean removed = global.remove(l);
        for (List<SpreadListener> ls : byGroup.values()) {
            removed |= ls.remove(l);
        }
        return removed;
    }

    @Override
    public void run() {
        while (true) {
            ReceivedMessage m;
            try {
                m = queue.take(0);
                if (m == null) {
                    idle(); // before every wait: what was handed on is woken once per burst
                    m = queue.take(-1);
                }
            } catch (SpreadException closed) {
                idle();
                if (!connection.closedByUser()) {
                    for (SpreadListener l : all()) {
                        call(l, () -> l.onConnectionLost(closed));
                    }
                }
                return;
            } catch (InterruptedException e) {
                idle();
                return;
            }
            dispatch(m);
        }
    }

    /** Tells every listener that nothing is waiting to be dispatched ({@link SpreadListener#onIdle}). */
    private void idle() {
        for (SpreadListener l : byGroup.isEmpty() ? global : all()) {
            call(l, l::onIdle);
        }
    }

    private void dispatch(ReceivedMessage m) {
        for (SpreadListener l : targets(m)) {
            if (m instanceof DataMessage d && d.rejected()) {
                call(l, () -> l.onRejected(d));
            } else if (m instanceof DataMessage d) {
                call(l, () -> l.onMessage(d));
            } else if (m instanceof MembershipMessage mm) {
                call(l, () -> l.onMembership(mm));
                call(l, () -> {
                    switch (mm.reason()) {
                        case JOIN -> l.onJoin(mm);
                        case LEAVE -> l.onLeave(mm);
                        case DISCONNECT -> l.onDisconnect(mm);
                        case NETWORK -> l.onNetwork(mm);
                        case TRANSITIONAL -> l.onTransitional(mm);
                        case SELF_LEAVE -> l.onSelfLeave(mm);
                    }
                });
            }
        }
    }

    private List<SpreadListener> targets(ReceivedMessage m) {
        if (byGroup.isEmpty()) {
            return global;
        }
        Map<SpreadListener, Boolean> seen = new IdentityHashMap<>();
        List<SpreadListener> out = new ArrayList<>(global);
        global.forEach(l -> seen.put(l, true));
        List<String> groups = m instanceof DataMessage d ? d.groups() : List.of(((MembershipMessage) m).group());
        for (String g : groups) {
            List<SpreadListener> ls = byGroup.get(g);
            if (ls != null) {
                for (SpreadListener l : ls) {
                    if (seen.put(l, true) == null) {
                        out.add(l);
                    }
                }
            }
        }
        return out;
    }

    private List<SpreadListener> all() {
        Map<SpreadListener, Boolean> seen = new IdentityHashMap<>();
        List<SpreadListener> out = new ArrayList<>();
        global.forEach(l -> {
            if (seen.put(l, true) == null) {
                out.add(l);
            }
        });
        byGroup.values().forEach(ls -> ls.forEach(l -> {
            if (seen.put(l, true) == null) {
                out.add(l);
            }
        }));
        return out;
    }

    private void call(SpreadListener l, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | Error e) {
            LOG.warn("listener {} of {} threw", l, connection.privateGroup(), e);
            try {
                l.onError(e);
            } catch (RuntimeException | Error again) {
                LOG.warn("onError of listener {} threw", l, again);
            }
        }
    }
}
