package org.spreadjms.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets a long-running command end cleanly on Ctrl-C or SIGTERM: the JVM's shutdown hook raises {@link #stopped()}
 * and waits (bounded) for the command to print its summary and {@link #close()}.
 */
final class StopSignal implements AutoCloseable {
    private static final long SUMMARY_WAIT_MILLIS = 3000;

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean stopped;

    StopSignal(String command) {
        hook = new Thread(() -> {
            stopped = true;
            try {
                finished.await(SUMMARY_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "spread-" + command + "-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Whether the process is being stopped (Ctrl-C, SIGTERM). */
    boolean stopped() {
        return stopped;
    }

    @Override
    public void close() {
        finished.countDown();
        if (!stopped) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM began shutting down meanwhile: the hook runs and returns at once
            }
        }
    }
}
