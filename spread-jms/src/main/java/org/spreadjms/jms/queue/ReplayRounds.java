package org.spreadjms.jms.queue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.membership.GroupView;
import org.spreadjms.jms.message.SpreadMessage;

/**
 * The copies that a store member re-published into a named queue's group while the group had more than one
 * candidate, each waiting for the answers of those candidates (docs/queue-protocol.md, rule 8). A member that joined
 * the group after a message does not hold it and cannot tell whether an older member does; so no member decides on
 * such a copy alone: every candidate in the view the copy came in answers HOLDS or LACKS, and when every one of them
 * answered or left, all members decide the same: if one holds it (or saw it acknowledged), nothing happens; else it
 * becomes a held message whose candidates are those of them still in the group, delivered once by its assignee.
 *
 * <p>A member's answers name the view the copies came in and are matched in its own sending order, so an answer that
 * arrives after the view changed still goes with its copy. Guarded by the owning {@link QueueProtocol}'s lock; it
 * never sends.
 */
final class ReplayRounds {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayRounds.class);
    /** Copies waiting for answers at once; past it the oldest is forgotten (it stays stored). */
    static final int MAX_ROUNDS = 20_000;

    /** One copy waiting for the answers of the candidates of the view it came in. */
    static final class Round {
        final SpreadMessage message;
        final String view;
        /** The candidates at the copy, in view order, minus those that left since. */
        final List<String> candidates;
        final Set<String> waiting;
        /** Whether a candidate answered that it holds the message (or saw it acknowledged). */
        boolean held;

        Round(SpreadMessage message, String view, List<String> candidates) {
            this.message = message;
            this.view = view;
            this.candidates = new ArrayList<>(candidates);
            this.waiting = new LinkedHashSet<>(candidates);
        }

        String id() {
            return message.getJMSMessageID();
        }
    }

    private final String group;
    /** The rounds by message id, oldest first (a copy re-published twice has two). */
    private final Map<String, List<Round>> byId = new LinkedHashMap<>();
    private int size;

    ReplayRounds(String group) {
        this.group = group;
    }

    /** Whether a copy of {@code id} is waiting for answers here. */
    boolean pending(String id) {
        return byId.containsKey(id);
    }

    int size() {
        return size;
    }

    /** A copy delivered in view {@code view} with {@code candidates} (more than one): it waits for their answers. */
    void start(SpreadMessage m, String view, List<String> candidates) {
        if (size >= MAX_ROUNDS) {
            Iterator<Map.Entry<String, List<Round>>> it = byId.entrySet().iterator();
            Map.Entry<String, List<Round>> oldest = it.next();
            it.remove();
            size -= oldest.getValue().size();
            LOG.warn("queue {}: {} re-published copies wait for answers; forgot {} (it stays stored)", group,
                    MAX_ROUNDS, oldest.getKey());
        }
        byId.computeIfAbsent(m.getJMSMessageID(), k -> new ArrayList<>(1)).add(new Round(m, view, candidates));
        size++;
    }

    /** A HOLDS or LACKS answer: the rounds it completes, in order. */
    List<Round> answer(QueueControl c) {
        List<Round> decided = new ArrayList<>();
        boolean holds = c.kind() == QueueControl.Kind.HOLDS;
        for (String id : c.ids()) {
            List<Round> rounds = byId.get(id);
            if (rounds == null) {
                continue;
            }
            for (Round r : rounds) {
                if (r.view.equals(c.view()) && r.waiting.remove(c.member())) {
                    r.held |= holds;
                    if (r.waiting.isEmpty()) {
                        remove(r);
                        decided.add(r);
                    }
                    break;
                }
            }
        }
        return decided;
    }

    /** A new view: members that left answer nothing and take nothing. The rounds now complete, in order. */
    List<Round> onView(GroupView next) {
        List<Round> decided = new ArrayList<>();
        for (List<Round> rounds : byId.values()) {
            for (Round r : rounds) {
                r.waiting.retainAll(next.members());
                r.candidates.retainAll(next.members());
                if (r.waiting.isEmpty()) {
                    decided.add(r);
                }
            }
        }
        decided.forEach(this::remove);
        return decided;
    }

    private void remove(Round r) {
        List<Round> rounds = byId.get(r.id());
        if (rounds != null && rounds.remove(r)) {
            size--;
            if (rounds.isEmpty()) {
                byId.remove(r.id());
            }
        }
    }
}
