package org.spreadjms.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code spread daemon} as a separate OS process ({@code java -cp ... org.spreadjms.cli.SpreadCommand daemon}), so
 * a test can kill it with SIGKILL or stop it with SIGTERM. Its output is collected and can be waited on.
 */
final class DaemonProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Duration START = Duration.ofSeconds(20);

    private final Process process;
    private final StringBuilder output = new StringBuilder();
    private boolean outputEnded;
    private final int port;

    private DaemonProcess(int port) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath(), "org.spreadjms.cli.SpreadCommand", "daemon", "--port", Integer.toString(port),
                "--bind", "127.0.0.1"));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Thread reader = new Thread(this::readOutput, "daemon-process-output");
        reader.setDaemon(true);
        reader.start();
        Matcher m = awaitOutput(LISTENING, START);
        if (m == null) {
            process.destroyForcibly();
            throw new IllegalStateException("the daemon process did not say it listens within " + START + ":\n"
                    + output());
        }
        this.port = Integer.parseInt(m.group(1));
    }

    /** Starts a daemon process on {@code port} (0: a free one) and waits until it listens. */
    static DaemonProcess start(int port) throws IOException, InterruptedException {
        return new DaemonProcess(port);
    }

    int port() {
        return port;
    }

    String url() {
        return "spread://127.0.0.1:" + port + "?storeAcks=0";
    }

    /** SIGKILL: the daemon gets no chance to say goodbye to its clients. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the daemon process did not die within 10 s of SIGKILL");
        }
    }

    /** SIGTERM; returns the exit code. */
    int terminate(Duration timeout) throws InterruptedException {
        // through the handle: Process.destroy() would also close our end of the output pipe, losing the last lines
        process.toHandle().destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the daemon process did not end within " + timeout + " of SIGTERM:\n"
                    + output());
        }
        return process.exitValue();
    }

    synchronized String output() {
        return output.toString();
    }

    /** Waits until the output matches {@code p}; null if it did not within {@code timeout}. */
    synchronized Matcher awaitOutput(Pattern p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Matcher m = p.matcher(output);
            if (m.find()) {
                return m;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || outputEnded) {
                return null;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    private void readOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                synchronized (this) {
                    output.append(line).append('\n');
                    notifyAll();
                }
            }
        } catch (IOException e) {
            synchronized (this) {
                output.append("(output unreadable: ").append(e).append(")\n");
            }
        }
        synchronized (this) {
            outputEnded = true;
            notifyAll();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** The jars and class folders the CLI needs, found from the classes themselves (not the surefire booter). */
    private static String classpath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String className : List.of("org.spreadjms.cli.SpreadCommand", "org.spreadjms.daemon.EmbeddedSpreadDaemon",
                "org.spreadjms.client.SpreadConnection", "org.spreadjms.jms.SpreadConnectionFactory",
                "picocli.CommandLine", "org.slf4j.LoggerFactory", "org.slf4j.simple.SimpleLogger",
                "jakarta.jms.ConnectionFactory")) {
            try {
                Class<?> c = Class.forName(className);
                entries.add(new File(c.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath());
            } catch (ClassNotFoundException | URISyntaxException e) {
                throw new IllegalStateException("cannot locate " + className + " for the daemon process", e);
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
