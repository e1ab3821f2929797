package org.spreadjms.store.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FsyncPolicyTest {
    @Test
    void parsesEveryForm() {
        assertEquals(FsyncPolicy.always(), FsyncPolicy.parse("always"));
        assertEquals(FsyncPolicy.never(), FsyncPolicy.parse(" NEVER "));
        assertEquals(FsyncPolicy.batch(Duration.ofMillis(2)), FsyncPolicy.parse("batch"));
        assertEquals(FsyncPolicy.batch(Duration.ofMillis(10)), FsyncPolicy.parse("batch:10"));
        assertEquals("batch:10", FsyncPolicy.parse("batch:10").toString());
        assertEquals("always", FsyncPolicy.always().toString());
    }

    @Test
    void rejectsWhatItDoesNotKnowNamingTheForms() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FsyncPolicy.parse("sometimes"));
        assertTrue(e.getMessage().contains("'sometimes'") && e.getMessage().contains("batch:<ms>"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FsyncPolicy.parse("batch:x"));
        assertThrows(IllegalArgumentException.class, () -> FsyncPolicy.parse("batch:5000"));
        assertThrows(IllegalArgumentException.class, () -> FsyncPolicy.parse("batch:-1"));
    }
}
