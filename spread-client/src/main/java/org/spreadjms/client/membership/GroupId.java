package org.spreadjms.client.membership;

/**
 * A group's view identifier: the daemon ring's membership id ({@code procId}, {@code time}) and a per-group index
 * that grows with every change. Compare for equality only.
 */
public record GroupId(int procId, int time, int index) {
    @Override
    public String toString() {
        return String.format("%08x:%d:%d", procId, time & 0xFFFFFFFFL, index);
    }
}
