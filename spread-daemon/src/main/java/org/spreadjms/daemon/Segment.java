package org.spreadjms.daemon;

import java.util.Arrays;
import java.util.List;

/**
 * The daemons served by one selector thread, and how they are partitioned. A plain embedded daemon is a segment of
 * one. Daemons in one component behave as one Spread configuration: they share groups, one order and membership;
 * daemons in different components do not see each other. A component is named by its lowest daemon index, and has
 * its own membership id time (as a Spread daemon ring does). Used only by the selector thread.
 */
final class Segment {
    private final List<String> daemonNames;
    private final int procId;
    private int[] componentOf;
    private final int[] timeOf;
    private int lastTime;

    Segment(List<String> daemonNames, int procId, int startTime) {
        this.daemonNames = List.copyOf(daemonNames);
        this.procId = procId;
        this.componentOf = new int[daemonNames.size()];
        this.timeOf = new int[daemonNames.size()];
        Arrays.fill(timeOf, startTime);
        this.lastTime = startTime;
    }

    int size() {
        return daemonNames.size();
    }

    String name(int daemon) {
        return daemonNames.get(daemon);
    }

    /** The daemon of a private group name {@code #name#daemon}, or -1. */
    int daemonOf(String privateGroup) {
        int second = privateGroup.indexOf('#', 1);
        return second < 0 ? -1 : daemonNames.indexOf(privateGroup.substring(second + 1));
    }

    int component(int daemon) {
        return componentOf[daemon];
    }

    int component(Session s) {
        return componentOf[s.daemon];
    }

    boolean together(Session a, Session b) {
        return componentOf[a.daemon] == componentOf[b.daemon];
    }

    int procId() {
        return procId;
    }

    /** The membership id time of a component. */
    int time(int component) {
        return timeOf[component];
    }

    int[] components() {
        return componentOf.clone();
    }

    /** Installs a new partition; every component whose daemons changed gets a new membership id time. */
    void apply(int[] next) {
        int[] before = componentOf;
        componentOf = next.clone();
        for (int c = 0; c < next.length; c++) {
            if (next[c] == c && changed(before, next, c)) {
                timeOf[c] = ++lastTime;
            }
        }
    }

    private static boolean changed(int[] before, int[] after, int component) {
        for (int d = 0; d < after.length; d++) {
            boolean inNow = after[d] == component;
            boolean wasWithFirst = before[d] == before[component];
            if (inNow != wasWithFirst) {
                return true;
            }
        }
        return false;
    }
}
