package org.spreadjms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadOptions;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SendListenTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    private String url() {
        return "spread://127.0.0.1:" + daemon.port();
    }

    private CliRun listen(String... target) throws InterruptedException {
        String[] args = new String[target.length + 7];
        System.arraycopy(new String[] {"listen", "--url", url(), "--count", "3", "--timeout", "15"}, 0, args, 0, 7);
        System.arraycopy(target, 0, args, 7, target.length);
        CliRun listener = CliRun.start(args);
        assertTrue(listener.err.await("listening on", WAIT), listener.err::toString);
        return listener;
    }

    @Test
    void textSentToATopicIsPrintedAndCounted() throws Exception {
        CliRun listener = listen("--topic", "cli.news");
        CliRun sender = CliRun.run("send", "--url", url(), "--topic", "cli.news", "--text", "hello {n}", "--count",
                "3");
        assertEquals(0, sender.exitCode, sender.err::toString);
        assertTrue(sender.out.toString().startsWith("sent 3 messages (21 bytes)"), sender.out::toString);
        assertEquals(0, listener.future.get(WAIT.toSeconds(), TimeUnit.SECONDS), listener.err::toString);
        String out = listener.out.toString();
        assertTrue(out.contains("[1] hello 1\n[2] hello 2\n[3] hello 3\n"), out);
        assertTrue(out.contains("received 3 messages (21 bytes)"), out);
        assertTrue(out.contains("msgs/s"), out);
    }

    @Test
    void standardInputLinesSentToARawGroupArriveAsPlainBytes() throws Exception {
        CliRun listener = listen("--group", "cli.raw");
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8)));
            CliRun sender = CliRun.run("send", "--url", url(), "--group", "cli.raw", "--service", "SAFE");
            assertEquals(0, sender.exitCode, sender.err::toString);
        } finally {
            System.setIn(stdin);
        }
        assertEquals(0, listener.future.get(WAIT.toSeconds(), TimeUnit.SECONDS), listener.err::toString);
        String out = listener.out.toString();
        assertTrue(out.contains("(SAFE, type 0): one"), out);
        assertTrue(out.contains("[3] from "), out);
        assertTrue(out.contains("): three"), out);
    }

    @Test
    void fileSentToAQueueReachesOneConsumer(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("job.txt"), "job body");
        CliRun listener = listen("--queue", "cli.work");
        CliRun sender = CliRun.run("send", "--url", url(), "--queue", "cli.work", "--file", file.toString(),
                "--count", "3");
        assertEquals(0, sender.exitCode, sender.err::toString);
        assertEquals(0, listener.future.get(WAIT.toSeconds(), TimeUnit.SECONDS), listener.err::toString);
        assertTrue(listener.out.toString().contains("[3] job body"), listener.out::toString);
    }

    @Test
    void listenReachingTheTimeoutBeforeTheCountExitsWith3() {
        CliRun r = CliRun.run("listen", "--url", url(), "--topic", "cli.silent", "--count", "1", "--timeout",
                "0.3");
        assertEquals(SpreadCommand.EXIT_INCOMPLETE, r.exitCode);
        assertTrue(r.out.toString().contains("received 0 messages"), r.out::toString);
    }

    @Test
    void membersPrintsTheViewAndEachChange() throws Exception {
        CliRun watcher = CliRun.start("members", "cli.room", "--url", url(), "--changes", "2", "--timeout", "15");
        assertTrue(watcher.out.await("(this watcher)]", WAIT), watcher.out::toString);
        try (SpreadConnection c = SpreadConnection.connect(SpreadOptions.builder().daemon("127.0.0.1",
                daemon.port()).privateName("visitor").build())) {
            c.join("cli.room", WAIT);
            assertTrue(watcher.out.await("JOIN #visitor#", WAIT), watcher.out::toString);
        }
        assertEquals(0, watcher.future.get(WAIT.toSeconds(), TimeUnit.SECONDS), watcher.err::toString);
        String out = watcher.out.toString();
        assertTrue(out.contains("-> "), out);
        assertTrue(out.contains("#visitor#localhost ->") && out.contains("2 members"), out);
        assertTrue(out.matches("(?s).*(LEAVE|DISCONNECT) #visitor#localhost -> .*1 member .*"), out);
        assertTrue(out.contains("saw 2 changes of group 'cli.room'"), out);
    }
}
