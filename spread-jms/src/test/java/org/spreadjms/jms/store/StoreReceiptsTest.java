package org.spreadjms.jms.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The waiter table of PERSISTENT sends: when a receipt is complete, and what it ignores. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StoreReceiptsTest {
    private static final Duration SHORT = Duration.ofMillis(50);
    private final StoreReceipts receipts = new StoreReceipts();

    private static StoreFrame.Stored stored(int members, String destination, String... ids) {
        return new StoreFrame.Stored(members, java.util.Arrays.stream(ids)
                .map(id -> new StoreFrame.Ref(destination, id)).toList());
    }

    @Test
    void oneAcknowledgementCompletesAReceiptThatNeedsOne() throws Exception {
        StoreReceipts.Receipt r = receipts.expect("q~a", "ID:x:1", 1);
        receipts.onStored("#$sta#d", stored(2, "q~a", "ID:x:0", "ID:x:1"));
        assertTrue(r.await(SHORT));
        assertEquals(0, receipts.waitingCount(), "forgotten once awaited");
    }

    @Test
    void allNeedsEveryStoreMemberTheFramesReportAndDistinctOnes() throws Exception {
        StoreReceipts.Receipt r = receipts.expect("q~a", "ID:x:1", StoreReceipts.ALL);
        receipts.onStored("#$sta#d", stored(2, "q~a", "ID:x:1"));
        receipts.onStored("#$sta#d", stored(2, "q~a", "ID:x:1")); // the same member twice counts once
        assertFalse(r.await(SHORT));
        assertEquals(1, r.acknowledgements());
        assertEquals(2, r.storeMembers());

        StoreReceipts.Receipt r2 = receipts.expect("q~a", "ID:x:2", StoreReceipts.ALL);
        CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(() -> {
            try {
                return r2.await(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        receipts.onStored("#$sta#d", stored(2, "q~a", "ID:x:2"));
        receipts.onStored("#$stb#d", stored(2, "q~a", "ID:x:2"));
        assertTrue(done.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aCountAboveTheStoreMembersNeedsThemAll() throws Exception {
        StoreReceipts.Receipt r = receipts.expect("q~a", "ID:x:1", 3);
        receipts.onStored("#$sta#d", stored(1, "q~a", "ID:x:1"));
        assertTrue(r.await(SHORT), "min(storeAcks 3, storeMembers 1) = 1");
    }

    @Test
    void acknowledgementsOfOtherDestinationsOrIdsAndMalformedFramesDoNotComplete() throws Exception {
        StoreReceipts.Receipt r = receipts.expect("q~a", "ID:x:1", 1);
        receipts.onStored("#$sta#d", stored(1, "q~b", "ID:x:1"));
        receipts.onStored("#$sta#d", stored(1, "q~a", "ID:x:2"));
        receipts.onFrame("#$sta#d", new byte[] {0x73, 1, 99, 0});
        receipts.onFrame("#$sta#d", StoreControlCodec.encode(new StoreFrame.StateOffer(1, "#j#d")));
        assertFalse(r.await(SHORT));
        assertEquals(0, r.acknowledgements());
        receipts.onFrame("#$sta#d", StoreControlCodec.encode(stored(1, "q~a", "ID:x:1"))); // late: ignored
        assertEquals(0, receipts.waitingCount());
    }

    @Test
    void aSecondWaitForTheSameMessageAndABadCountAreRefused() {
        receipts.expect("q~a", "ID:x:1", 1);
        assertThrows(IllegalStateException.class, () -> receipts.expect("q~a", "ID:x:1", 1));
        assertThrows(IllegalArgumentException.class, () -> receipts.expect("q~a", "ID:x:2", 0));
        StoreReceipts.Receipt r = receipts.expect("q~a", "ID:x:3", 1);
        r.cancel();
        assertEquals(1, receipts.waitingCount());
    }

    private static CompletableFuture<Boolean> awaitAsync(StoreReceipts.Receipt r, Duration max) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return r.await(max);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void allStopsWaitingForAStoreMemberThatLeavesThePresenceGroup() throws Exception {
        receipts.onStoreView("$s~p", Set.of("#$sta#d", "#$stb#d"));
        StoreReceipts.Receipt r = receipts.expect("q~a", "ID:x:1", StoreReceipts.ALL, "$s~p");
        CompletableFuture<Boolean> done = awaitAsync(r, Duration.ofSeconds(5));
        receipts.onStored("#$sta#d", stored(2, "q~a", "ID:x:1"));
        assertFalse(done.isDone() && done.get(), "one of two: still waiting");
        receipts.onStoreView("$s~p", Set.of("#$sta#d")); // b died before acknowledging
        assertTrue(done.get(5, TimeUnit.SECONDS), "every store member still in view acknowledged");

        // the departure comes first, the acknowledgement of the one left after it
        StoreReceipts.Receipt r2 = receipts.expect("q~a", "ID:x:2", StoreReceipts.ALL, "$s~p");
        receipts.onStoreView("$s~p", Set.of("#$sta#d", "#$stb#d"));
        CompletableFuture<Boolean> done2 = awaitAsync(r2, Duration.ofSeconds(5));
        receipts.onStoreView("$s~p", Set.of("#$stb#d"));
        receipts.onStored("#$stb#d", stored(2, "q~a", "ID:x:2"));
        assertTrue(done2.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aDepartureDoesNotExcuseAStoreMemberStillInViewNorDoesOneThatJoined() throws Exception {
        receipts.onStoreView("$s~p", Set.of("#$sta#d", "#$stb#d", "#$stc#d"));
        StoreReceipts.Receipt r = receipts.expect("q~a", "ID:x:1", StoreReceipts.ALL, "$s~p");
        receipts.onStored("#$sta#d", stored(3, "q~a", "ID:x:1"));
        receipts.onStoreView("$s~p", Set.of("#$sta#d", "#$stb#d")); // c left; b is still there and has not
        assertFalse(r.await(SHORT), "b, still in view, has not acknowledged");

        // a member that joins (no departure) does not lower what "all" needs
        StoreReceipts.Receipt r2 = receipts.expect("q~a", "ID:x:2", StoreReceipts.ALL, "$s~p");
        receipts.onStoreView("$s~p", Set.of("#$sta#d", "#$stb#d", "#$std#d"));
        receipts.onStored("#$sta#d", stored(2, "q~a", "ID:x:2"));
        assertFalse(r2.await(SHORT), "b has not acknowledged");

        // with every store member gone, nobody acknowledged: the send fails on its timeout
        StoreReceipts.Receipt r3 = receipts.expect("q~a", "ID:x:3", StoreReceipts.ALL, "$s~p");
        receipts.onStoreView("$s~p", Set.of());
        assertFalse(r3.await(SHORT), "no acknowledgement at all never completes");
    }

    @Test
    void aCountedStoreAcksIsNotLoweredByADeparture() throws Exception {
        receipts.onStoreView("$s~p", Set.of("#$sta#d", "#$stb#d"));
        StoreReceipts.Receipt r = receipts.expect("q~a", "ID:x:1", 2, "$s~p");
        receipts.onStored("#$sta#d", stored(2, "q~a", "ID:x:1"));
        receipts.onStoreView("$s~p", Set.of("#$sta#d"));
        assertFalse(r.await(SHORT), "storeAcks=2 asked for two copies");
    }
}
