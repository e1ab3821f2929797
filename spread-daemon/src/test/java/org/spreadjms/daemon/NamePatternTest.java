package org.spreadjms.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class NamePatternTest {
    @ParameterizedTest
    @CsvSource({
            "orders.>, orders.eu, true",
            "orders.>, orders.eu.new, true",
            "orders.>, orders, false",
            "orders.>, ordersx.eu, false",
            "orders.*, orders.eu, true",
            "orders.*, orders.eu.new, false",
            "orders.*, orders, false",
            "orders, orders, true",
            "orders, orders.eu, false",
            ">, anything.at.all, true",
            "*, one, true",
            "*, two.tokens, false",
            "alice*, alice, true",
            "alice*, alice2, true",
            "alice*, bob, false",
            "queue:orders.>, q~orders.eu, true",
            "queue:orders.>, orders.eu, false",
            "topic:orders.*, orders.eu, true",
            "queue:orders, q~orders, true",
    })
    void matches(String pattern, String name, boolean expected) {
        assertEquals(expected, NamePattern.compile(pattern).matches(name), pattern + " vs " + name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders.>.x", "a..b", "or*ders", "a>", "queue:"})
    void refusesMalformedPatterns(String pattern) {
        assertThrows(IllegalArgumentException.class, () -> NamePattern.compile(pattern));
    }
}
