package org.spreadjms.bench;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StoreEngineBenchTest {
    @TempDir
    Path dir;

    @Test
    void runsEveryEngineAndFindsExactlyThePendingMessagesAfterReopening() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            // the bench itself throws if a scan after reopening misses, repeats or misorders a pending message
            StoreEngineBench.main(new String[] {"--messages", "3000", "--producers", "2", "--window", "16",
                    "--dir", dir.toString()});
        } finally {
            System.setOut(old);
        }
        String report = out.toString(StandardCharsets.UTF_8);
        for (String engine : new String[] {"rocksdb", "mvstore", "artemis"}) {
            assertTrue(report.matches("(?s).*\\n" + engine + " +\\d+ .* 300 .*"), report);
        }
    }

    @Test
    void anUnknownEngineOrOptionIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> StoreEngineBench.main(new String[] {"--engines", "leveldb", "--dir", dir.toString()}));
        assertThrows(IllegalArgumentException.class, () -> StoreEngineBench.main(new String[] {"--fast"}));
    }
}
