package org.spreadjms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.client.SpreadAddress;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DaemonUrlTest {
    private static List<String> names(DaemonUrl.DaemonList list) {
        return list.daemons().stream().map(a -> a.host() + ":" + a.port()).toList();
    }

    @Test
    void aFailoverListGivesItsDaemonsInOrderWithTheDefaultWaits() throws Exception {
        DaemonUrl.DaemonList l = DaemonUrl.daemons("spread:failover:(spread://10.0.0.1:4803, spread://h2:4804)");
        assertEquals(List.of("10.0.0.1:4803", "h2:4804"), names(l));
        assertEquals(Duration.ofMillis(100), l.initialDelay());
        assertEquals(Duration.ofSeconds(5), l.maxDelay());
    }

    @Test
    void aFailoverListTakesTheReconnectDelays() throws Exception {
        DaemonUrl.DaemonList l = DaemonUrl.daemons("spread:failover:(spread://a:1,spread://b:2)"
                + "?failover.initialReconnectDelay=20&failover.maxReconnectDelay=300");
        assertEquals(List.of("a:1", "b:2"), names(l));
        assertEquals(Duration.ofMillis(20), l.initialDelay());
        assertEquals(Duration.ofMillis(300), l.maxDelay());
    }

    @Test
    void oneDaemonInEveryFormerFormIsAListOfOne() throws Exception {
        for (String url : List.of("spread://127.0.0.1:4805", "spread://127.0.0.1:4805/?storeAcks=1",
                "4805@127.0.0.1", "127.0.0.1:4805")) {
            DaemonUrl.DaemonList l = DaemonUrl.daemons(url);
            assertEquals(List.of("127.0.0.1:4805"), names(l), url);
            assertEquals(Duration.ofMillis(100), l.initialDelay(), url);
        }
        SpreadAddress bare = DaemonUrl.daemons("4805").daemons().get(0);
        assertEquals(4805, bare.port());
    }

    @Test
    void optionsAStoreMemberDoesNotTakeAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DaemonUrl.daemons(
                "spread:failover:(spread://a:1,spread://b:2)?storeAcks=1&failover.maxReconnectDelay=300"));
        assertTrue(e.getMessage().contains("[storeAcks]") && e.getMessage().contains("do not apply to a store"),
                e.getMessage());
    }

    @Test
    void aMalformedListIsRefused() {
        for (String url : List.of("spread:failover:()", "spread:failover:spread://a:1", "spread:failover:(,)",
                "spread:failover:(spread://a:1?x=1)")) {
            assertThrows(IllegalArgumentException.class, () -> DaemonUrl.daemons(url), url);
        }
    }
}
