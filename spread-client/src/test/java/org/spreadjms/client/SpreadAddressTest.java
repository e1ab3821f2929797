package org.spreadjms.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SpreadAddressTest {

    @Test
    void portAloneMeansLocalDaemon() throws Exception {
        assertEquals(new SpreadAddress("127.0.0.1", 4803, true), SpreadAddress.parse("4803"));
        assertEquals(new SpreadAddress("127.0.0.1", 4903, true), SpreadAddress.parse(" 4903 "));
    }

    @Test
    void spreadFormPortAtHost() throws Exception {
        assertEquals(new SpreadAddress("host", 4803), SpreadAddress.parse("4803@host"));
        assertEquals(new SpreadAddress("10.0.0.7", 5000), SpreadAddress.parse("5000@10.0.0.7"));
    }

    @Test
    void hostColonPort() throws Exception {
        assertEquals(new SpreadAddress("host", 4803), SpreadAddress.parse("host:4803"));
        assertEquals(new SpreadAddress("daemon.example", 1), SpreadAddress.parse("daemon.example:1"));
    }

    @Test
    void hostAloneTakesTheDefaultPort() throws Exception {
        assertEquals(new SpreadAddress("host", SpreadConstants.DEFAULT_SPREAD_PORT), SpreadAddress.parse("host"));
    }

    @Test
    void emptyMeansTheDefaultDaemon() throws Exception {
        assertEquals(new SpreadAddress("127.0.0.1", 4803), SpreadAddress.parse(""));
        assertEquals(new SpreadAddress("127.0.0.1", 4803), SpreadAddress.parse(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x@y", "70000", "0", "4803@", "host:", "host:port", "host:70000", "-1@host"})
    void badAddressIsIllegalSpreadNamingTheText(String text) {
        SpreadException e = assertThrows(SpreadException.class, () -> SpreadAddress.parse(text));
        assertInstanceOf(SpreadException.IllegalRequestException.class, e);
        assertEquals(SpreadError.ILLEGAL_SPREAD, e.error());
        assertEquals(-1, e.code());
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @Test
    void toStringUsesSpreadsOwnForm() {
        assertEquals("4803@host", new SpreadAddress("host", 4803).toString());
    }
}
