package org.spreadjms.client;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class NameRulesTest {

    @Test
    void rejectsEmptyGroupName() {
        SpreadException e = illegal(SpreadError.ILLEGAL_GROUP, () -> NameRules.checkGroupName(""));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        illegal(SpreadError.ILLEGAL_GROUP, () -> NameRules.checkGroupName(null));
    }

    @Test
    void rejectsGroupNameOf32CharactersNamingLengthAndLimit() {
        String name = "g".repeat(32);
        SpreadException e = illegal(SpreadError.ILLEGAL_GROUP, () -> NameRules.checkGroupName(name));
        assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("is 32 characters (at most 31 allowed)"), e.getMessage());
        illegal(SpreadError.ILLEGAL_GROUP, () -> NameRules.checkGroupName("g".repeat(100)));
    }

    @Test
    void acceptsGroupNameOf31CharactersAndTheEdgeCharacters() {
        assertDoesNotThrow(() -> NameRules.checkGroupName("g".repeat(31)));
        assertDoesNotThrow(() -> NameRules.checkGroupName("$~"));
        assertDoesNotThrow(() -> NameRules.checkGroupName("demo"));
        assertDoesNotThrow(() -> NameRules.checkGroupName("a1"));
    }

    @Test
    void rejectsGroupNameContainingHashNamingCharacterAndIndex() {
        SpreadException e = illegal(SpreadError.ILLEGAL_GROUP, () -> NameRules.checkGroupName("a#b"));
        assertTrue(e.getMessage().contains("'a#b'"), e.getMessage());
        assertTrue(e.getMessage().contains("'#' at index 1"), e.getMessage());
        assertTrue(e.getMessage().contains("only '$' through '~' allowed"), e.getMessage());
    }

    @Test
    void rejectsGroupNameStartingWithHashAsAPrivateGroupName() {
        SpreadException e = illegal(SpreadError.ILLEGAL_GROUP, () -> NameRules.checkGroupName("#alice#localhost"));
        assertTrue(e.getMessage().contains("private group"), e.getMessage());
    }

    @Test
    void rejectsGroupNameStartingWithADigit() {
        SpreadException e = illegal(SpreadError.ILLEGAL_GROUP, () -> NameRules.checkGroupName("1abc"));
        assertTrue(e.getMessage().contains("'1abc'"), e.getMessage());
        assertTrue(e.getMessage().contains("starts with a digit"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "tab\there", "nul\u0000", "ctl\u0001x", "del\u007f", "caf\u00e9", "\u4e2d\u6587",
            "quote\"", "bang!"})
    void rejectsGroupNameWithSpaceControlOrNonAsciiCharacter(String name) {
        SpreadException e = illegal(SpreadError.ILLEGAL_GROUP, () -> NameRules.checkGroupName(name));
        assertTrue(e.getMessage().contains("has character"), e.getMessage());
        assertTrue(e.getMessage().contains("only '$' through '~' allowed"), e.getMessage());
    }

    @Test
    void describesUnprintableCharactersByCodePoint() {
        SpreadException e = illegal(SpreadError.ILLEGAL_GROUP, () -> NameRules.checkGroupName("ctl\u0001x"));
        assertTrue(e.getMessage().contains("U+0001 at index 3"), e.getMessage());
        e = illegal(SpreadError.ILLEGAL_GROUP, () -> NameRules.checkGroupName("caf\u00e9"));
        assertTrue(e.getMessage().contains("U+00E9"), e.getMessage());
    }

    @Test
    void destinationAcceptsGroupsAndPrivateGroupNames() {
        assertDoesNotThrow(() -> NameRules.checkDestination("#alice#localhost"));
        assertDoesNotThrow(() -> NameRules.checkDestination("#$~#d"));
        assertDoesNotThrow(() -> NameRules.checkDestination("#abcdefghij#" + "d".repeat(19)));
        assertDoesNotThrow(() -> NameRules.checkDestination("demo"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"#toolongname1#d", "#a#", "##x", "#abc", "#a#b c", "#a b#d", "#a#dddddddddddddddddddd", ""})
    void destinationRejectsMalformedPrivateGroupNames(String name) {
        SpreadException e = illegal(SpreadError.ILLEGAL_GROUP, () -> NameRules.checkDestination(name));
        if (!name.isEmpty()) {
            assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
        }
    }

    @Test
    void privateGroupNameErrorStatesTheForm() {
        SpreadException e = illegal(SpreadError.ILLEGAL_GROUP, () -> NameRules.checkDestination("#toolongname1#d"));
        assertTrue(e.getMessage().contains("#name#daemon"), e.getMessage());
        assertTrue(e.getMessage().contains("1..10"), e.getMessage());
    }

    @Test
    void privateNameOf11CharactersIsRejectedAsIllegalName() {
        SpreadException e = illegal(SpreadError.REJECT_ILLEGAL_NAME,
                () -> NameRules.checkPrivateName("abcdefghijk"));
        assertTrue(e.getMessage().contains("'abcdefghijk' is 11 characters (at most 10 allowed)"), e.getMessage());
    }

    @Test
    void privateNameWithSpaceIsRejectedAsIllegalName() {
        SpreadException e = illegal(SpreadError.REJECT_ILLEGAL_NAME, () -> NameRules.checkPrivateName("a b"));
        assertTrue(e.getMessage().contains("'a b'"), e.getMessage());
        assertTrue(e.getMessage().contains("' ' at index 1"), e.getMessage());
        illegal(SpreadError.REJECT_ILLEGAL_NAME, () -> NameRules.checkPrivateName("a#b"));
    }

    @Test
    void privateNameMayBeEmptyTenCharactersOrTheEdgeCharacters() {
        assertDoesNotThrow(() -> NameRules.checkPrivateName(""));
        assertDoesNotThrow(() -> NameRules.checkPrivateName("abcdefghij"));
        assertDoesNotThrow(() -> NameRules.checkPrivateName("$~"));
    }

    private static SpreadException illegal(SpreadError expected, Executable call) {
        SpreadException e = assertThrows(SpreadException.class, call);
        assertInstanceOf(SpreadException.IllegalRequestException.class, e);
        assertEquals(expected, e.error());
        assertEquals(expected.code(), e.code());
        return e;
    }
}
