package dev.vantage.system;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One {@link LabSystem} for every test class of a run that asks for it ({@code @ExtendWith(SharedLabSystem.class)} and
 * a parameter of type {@code LabSystem}, e.g. of a static {@code @BeforeAll} method): the first class starts it, JUnit
 * stops it when the run ends (it closes the root store then). Starting the whole system takes minutes, so the scenario
 * surveys ({@link LabScenariosIT}) and the fault tests ({@link LabFaultsIT}) share one; each class leaves it running and
 * healthy for the next.
 *
 * <p>A class is skipped (an assumption) when the tests do not run as root: the lab needs network namespaces and
 * nftables. A failed start is not tried again: every class that asks for the system fails with the first cause.
 */
final class SharedLabSystem implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedLabSystem.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        assumeTrue("root".equals(System.getProperty("user.name")), "the lab needs root (network namespaces, nftables)");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LabSystem.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(Running.class, key -> Running.start(), Running.class)
                .system();
    }

    /** The system of this run, or why it did not start; stopped (also after a failed start) when the run ends. */
    private static final class Running implements AutoCloseable {
        private final LabSystem system;
        private final Exception failure;

        private Running(LabSystem system, Exception failure) {
            this.system = system;
            this.failure = failure;
        }

        static Running start() {
            LabSystem system = null;
            try {
                system = new LabSystem(LabSystem.Settings.fromSystemProperties());
                system.start("correct");
                return new Running(system, null);
            } catch (Exception | AssertionError e) {
                return new Running(system, e instanceof Exception ex ? ex : new IllegalStateException(e.getMessage(), e));
            }
        }

        LabSystem system() {
            if (failure != null) {
                throw new IllegalStateException("the lab system did not start: " + failure.getMessage(), failure);
            }
            return system;
        }

        @Override
        public void close() throws Exception {
            if (system != null) {
                system.stop();
            }
        }
    }
}
