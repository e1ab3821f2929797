package org.spreadjms.client.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The name checks are tested in {@code NameRulesTest}. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class GroupNamesTest {

    @Test
    void slotIsNulPaddedAndReadsBackToTheName() {
        byte[] slot = GroupNames.toSlot("demo");
        assertEquals(32, slot.length);
        assertArrayEquals(new byte[] {'d', 'e', 'm', 'o', 0, 0}, java.util.Arrays.copyOf(slot, 6));
        assertEquals("demo", GroupNames.fromSlot(slot, 0));
        assertTrue(GroupNames.slotTerminated(slot, 0));
        byte[] full = "x".repeat(32).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertFalse(GroupNames.slotTerminated(full, 0));
        assertEquals(0, GroupNames.toSlot("y".repeat(40))[31], "a slot always keeps its NUL");
    }
}
