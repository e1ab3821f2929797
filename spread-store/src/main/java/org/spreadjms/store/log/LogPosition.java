package org.spreadjms.store.log;

import java.util.Map;

/**
 * A point in the ordered stream a log has applied: the applied index and the last sequence of every destination
 * there. Members that applied the same stream up to the same point have equal positions.
 */
public record LogPosition(long appliedIndex, Map<String, Long> lastSequences) {
    public LogPosition {
        lastSequences = Map.copyOf(lastSequences);
    }

    public long lastSequence(String destination) {
        return lastSequences.getOrDefault(destination, 0L);
    }
}
