package org.spreadjms.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Runs the {@code spread} command in-process with its stdout and stderr captured. */
final class CliRun {
    final Capture out = new Capture();
    final Capture err = new Capture();
    private final String[] args;

    private CliRun(String... args) {
        this.args = args;
    }

    /** Runs to the end; returns the run, whose {@link #exitCode} is set. */
    static CliRun run(String... args) {
        CliRun r = new CliRun(args);
        r.exitCode = r.execute();
        return r;
    }

    /** Starts on another thread; the future completes with the exit code. */
    static CliRun start(String... args) {
        CliRun r = new CliRun(args);
        r.future = CompletableFuture.supplyAsync(r::execute);
        return r;
    }

    int exitCode = -1;
    CompletableFuture<Integer> future;

    private int execute() {
        return SpreadCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
    }

    /** A thread-safe text sink that lets a test wait, with a deadline, until some text has been written. */
    static final class Capture extends Writer {
        private final StringBuilder text = new StringBuilder();

        @Override
        public synchronized void write(char[] buf, int off, int len) {
            text.append(buf, off, len);
            notifyAll();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        /** Waits until {@code expected} has been written; false if it was not within {@code timeout}. */
        synchronized boolean await(String expected, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (text.indexOf(expected) < 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }

        @Override
        public synchronized String toString() {
            return text.toString();
        }
    }
}
