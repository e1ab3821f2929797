package org.spreadjms.cli;

/**
 * One workload of {@code spread bench}: opened once, run for the warm-up and for each measured run, then closed.
 * Every wait in a run is bounded: a stall (nothing arriving for a while) or passing the deadline fails the run.
 */
interface BenchScenario extends AutoCloseable {
    /** Connects, joins, subscribes. */
    void open() throws Exception;

    /**
     * Sends {@code count} messages (or round trips) and waits for all of them to arrive.
     *
     * @param progress       where to show progress, or null (warm-up)
     * @param deadlineNanos  a {@link System#nanoTime()} value the run must finish before
     */
    BenchResult run(int count, ProgressBar progress, long deadlineNanos) throws Exception;

    /** One line saying what this scenario does, for the header of the output. */
    String describe();

    /** Extra figures of the last run for the key=value line (e.g. {@code consumers=4}), or "". */
    default String extraKeyValues() {
        return "";
    }

    @Override
    void close();
}
