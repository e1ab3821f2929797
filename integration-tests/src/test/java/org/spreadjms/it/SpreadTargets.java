package org.spreadjms.it;

import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;

/**
 * The daemons a parameterised suite runs against: {@code @ArgumentsSource(SpreadTargets.class)}. One embedded daemon
 * and at most one container serve the whole test run (kept in the root store, closed at its end).
 */
final class SpreadTargets implements ArgumentsProvider {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SpreadTargets.class);

    @Override
    public Stream<? extends Arguments> provideArguments(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(NS);
        SpreadTarget embedded = store.getOrComputeIfAbsent("embedded", k -> new SpreadTarget.Embedded(),
                SpreadTarget.class);
        SpreadTarget container = store.getOrComputeIfAbsent("container", k -> new SpreadTarget.Container(),
                SpreadTarget.class);
        return Stream.of(Arguments.of(embedded), Arguments.of(container));
    }
}
