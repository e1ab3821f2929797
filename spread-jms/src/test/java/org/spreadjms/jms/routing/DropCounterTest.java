package org.spreadjms.jms.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;

/** Issue 13, item 3: one line per interval with counts, not one per dropped message (89,946 lines were seen). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DropCounterTest {
    /** A Logger that records the format of every warn/info call. */
    private static Logger recording(List<String> lines) {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("warn") || method.getName().equals("info")) {
                        lines.add(String.valueOf(args[0]));
                    }
                    if (method.getReturnType() == boolean.class) {
                        return true;
                    }
                    return null;
                });
    }

    @Test
    void ninetyThousandDropsInOneEpisodeLogOneLineAndStartOneEpisode() {
        List<String> lines = new ArrayList<>();
        DropCounter d = new DropCounter(recording(lines), "consumer on topic://t");
        int starts = 0;
        for (int i = 0; i < 90_000; i++) {
            if (d.dropped("ID:" + i, "5 messages")) {
                starts++;
            }
        }
        assertEquals(1, starts, "the application is told once per episode");
        assertEquals(1, lines.size(), "one line within the interval: " + lines);
        assertEquals(90_000, d.total());
        d.caughtUp();
        assertEquals(2, lines.size(), "the end of the episode is logged with its count");
    }

    @Test
    void aNewEpisodeAfterCatchingUpIsReportedAgain() {
        List<String> lines = new ArrayList<>();
        DropCounter d = new DropCounter(recording(lines), "mailbox");
        assertTrue(d.dropped("a", "b"));
        assertFalse(d.dropped("b", "b"));
        d.caughtUp();
        d.caughtUp(); // no episode: nothing
        assertEquals(2, lines.size());
        assertTrue(d.dropped("c", "b"));
        assertEquals(3, d.total());
    }
}
