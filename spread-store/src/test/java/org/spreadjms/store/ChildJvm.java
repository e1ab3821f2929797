package org.spreadjms.store;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test's main class run in a JVM of its own (same class path), so that the test can kill it with SIGKILL. A reader
 * thread collects its output lines (standard error merged in); a {@link #killWhen} condition is checked by that thread
 * on every line, so the kill comes right after the child printed it, while it is still working. Closing kills the
 * child if it still runs.
 *
 * <p>The kill is {@link ProcessHandle#destroyForcibly()} (SIGKILL, as {@link Process#destroyForcibly()}), because
 * {@code Process.destroyForcibly()} also closes the pipe of the child's output: the lines it printed before it died
 * and that were not read yet would be lost, and the test would not know everything the child did.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;
    private Predicate<List<String>> killWhen = l -> false;
    private boolean killed;
    private boolean ended;

    private ChildJvm(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "child-output-" + process.pid());
        this.reader.setDaemon(true);
        this.reader.start();
    }

    static ChildJvm start(Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(new File(System.getProperty("java.home"), "bin/java").getPath(),
                "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                main.getName()));
        command.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (this) {
                    lines.add(line);
                    if (!killed && killWhen.test(lines)) {
                        sigkill();
                    }
                    notifyAll();
                }
            }
        } catch (IOException e) {
            synchronized (this) {
                lines.add("[reading the child's output failed: " + e + "]");
            }
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    /** From now on, the reader kills the child (SIGKILL) right after a line that makes {@code condition} true. */
    synchronized void killWhen(Predicate<List<String>> condition) {
        this.killWhen = condition;
        if (!killed && condition.test(lines)) {
            sigkill();
        }
    }

    /** Kills the child (SIGKILL) now; what it printed before stays readable. */
    synchronized void kill() {
        sigkill();
    }

    private void sigkill() {
        process.toHandle().destroyForcibly();
        killed = true;
    }

    synchronized boolean killed() {
        return killed;
    }

    /** Waits until a line equal to {@code line} came; false if the child ended or the time passed first. */
    synchronized boolean awaitLine(String line, Duration max) throws InterruptedException {
        return awaitLines(l -> l.contains(line), max);
    }

    /** Waits until the lines so far satisfy {@code condition}; false if the child ended or the time passed first. */
    synchronized boolean awaitLines(Predicate<List<String>> condition, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.test(lines)) {
            long left = deadline - System.nanoTime();
            if (ended || left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /**
     * Waits until the child is dead and its whole output read; then {@link #lines()} is everything it printed.
     *
     * @return false if that did not happen within {@code max}
     */
    boolean awaitEnd(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        if (!process.waitFor(max.toNanos(), TimeUnit.NANOSECONDS)) {
            return false;
        }
        reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        return !reader.isAlive();
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** The output so far, for failure messages. */
    synchronized String output() {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
