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
 * Rule 8 of docs/queue-protocol.md: the copies that a store member re-publishes into a named queue's group. A member
 * that joined the group after a message does not hold it and cannot tell whether an older member does; so with more
 * than one candidate no member decides on a copy alone: every candidate in the view the copy came in answers HOLDS
 * or LACKS, and when every one of them answered or left, all members decide the same: if one holds it (or saw it
 * acknowledged), nothing happens; else it becomes a held message whose candidates are those of them still in the
 * group, delivered once by its assignee. With this member the only candidate, it knows alone.
 *
 * <p>A member's answers name the view the copies came in and are matched in its own sending order, so an answer that
 * arrives after the view changed still goes with its copy. A member that receives a copy of an id whose earlier copy
 * is still being decided answers the later one only once the earlier one is decided (with what it holds then), so a
 * member that joined in between, which knows nothing of the earlier copy, learns its outcome from the answers.
 *
 * <p>Guarded by the owning {@link QueueProtocol}'s lock; answers are only queued ({@link CopyAnswers}).
 */
final class ReplayRounds {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayRounds.class);
    /** Copies waiting for answers at once; past it the oldest is forgotten (it stays stored). */
    static final int MAX_ROUNDS = 20_000;

    /** What the owning protocol holds, and how it takes a message nobody holds. */
    interface Holdings {
        /** Whether this member holds {@code id} or saw it acknowledged recently. */
        boolean has(String id);

        /** Holds {@code m} with {@code candidates} and delivers it if this member is its assignee. */
        void take(String id, SpreadMessage m, List<String> candidates);
    }

    /** One copy waiting for the answers of the candidates of the view it came in. */
    static final class Round {
        final SpreadMessage message;
        final String view;
        /** The candidates at the copy, in view order, minus those that left since. */
        final List<String> candidates;
        final Set<String> waiting;
        /** Whether a candidate answered that it holds the message (or saw it acknowledged). */
        boolean held;
        /** Whether this member's own answer went out (it waits while an earlier copy of the id is decided). */
        boolean answered;

        Round(SpreadMessage message, String view, List<String> candidates, boolean answered) {
            this.message = message;
            this.view = view;
            this.candidates = new ArrayList<>(candidates);
            this.waiting = new LinkedHashSet<>(candidates);
            this.answered = answered;
        }

        String id() {
            return message.getJMSMessageID();
        }
    }

    private final String group;
    private final CopyAnswers answers;
    private final Holdings holdings;
    /** The rounds by message id, oldest first (a copy re-published twice has two). */
    private final Map<String, List<Round>> byId = new LinkedHashMap<>();
    private int size;

    ReplayRounds(String group, CopyAnswers answers, Holdings holdings) {
        this.group = group;
        this.answers = answers;
        this.holdings = holdings;
    }

    /** Copies waiting for answers. */
    int size() {
        return size;
    }

    /** A copy of {@code id} re-published by a store member, delivered in {@code view}. */
    void onCopy(String id, SpreadMessage m, GroupView view) {
        List<String> candidates = QueueProtocol.candidates(view);
        String v = view.id() == null ? "" : view.id().toString();
        if (byId.containsKey(id)) {
            // an earlier copy is being decided: answer this one once it is, with what this member holds then
            start(m, v, candidates, false);
            return;
        }
        boolean has = holdings.has(id);
        if (candidates.size() > 1) {
            start(m, v, candidates, true);
            answer(has, v, id);
        } else if (has) {
            answer(true, v, id); // nobody waits for it but the store member: one copy less to wait for
        } else {
            holdings.take(id, m, candidates);
        }
    }

    /** A HOLDS or LACKS answer, in the group's order. */
    void onAnswer(QueueControl c) {
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
                        decide(r);
                    }
                    break;
                }
            }
        }
    }

    /** A new view: members that left answer nothing and take nothing. */
    void onView(GroupView next) {
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
        for (Round r : decided) {
            remove(r);
            decide(r);
        }
    }

    /**
     * Every answer to {@code r} is in: nobody holds its message, so it is taken once; else nothing. Then the next
     * copy of the same id, if this member has not answered it yet, is answered with what it holds now.
     */
    private void decide(Round r) {
        String id = r.id();
        if (!r.held && !holdings.has(id)) {
            if (r.candidates.isEmpty()) {
                LOG.info("queue {}: every candidate of re-published message {} left before it was decided; it"
                        + " stays stored", group, id);
            } else {
                holdings.take(id, r.message, r.candidates);
            }
        }
        List<Round> rounds = byId.get(id);
        if (rounds != null && !rounds.get(0).answered) {
            Round next = rounds.get(0);
            next.answered = true;
            answer(holdings.has(id), next.view, id);
        }
    }

    private void start(SpreadMessage m, String view, List<String> candidates, boolean answered) {
        if (size >= MAX_ROUNDS) {
            Iterator<Map.Entry<String, List<Round>>> it = byId.entrySet().iterator();
            Map.Entry<String, List<Round>> oldest = it.next();
            it.remove();
            size -= oldest.getValue().size();
            // answers still owed go out as HOLDS: nobody waits for this member, and nobody takes the message
            oldest.getValue().stream().filter(r -> !r.answered).forEach(r -> answer(true, r.view, r.id()));
            LOG.warn("queue {}: {} re-published copies wait for answers; forgot {} (it stays stored)", group,
                    MAX_ROUNDS, oldest.getKey());
        }
        byId.computeIfAbsent(m.getJMSMessageID(), k -> new ArrayList<>(1))
                .add(new Round(m, view, candidates, answered));
        size++;
    }

    private void answer(boolean has, String view, String id) {
        answers.add(has ? QueueControl.Kind.HOLDS : QueueControl.Kind.LACKS, view, id);
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
