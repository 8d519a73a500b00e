package io.ipckit.core.test;

import junit.framework.AssertionFailedError;
import junit.framework.Test;
import junit.framework.TestCase;
import junit.framework.TestFailure;
import junit.framework.TestResult;
import junit.framework.TestSuite;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;

/**
 * Runs guava-testlib's generated JUnit 3 suites ({@code ConcurrentMapTestSuiteBuilder},
 * {@code ListTestSuiteBuilder}, {@code QueueTestSuiteBuilder}...) as JUnit 5 dynamic tests, so they run
 * under the project's one engine, each generated test reported on its own with its own timeout (the
 * project default does not reach dynamic tests).
 *
 * <p>Use from a {@code @TestFactory} of a {@link LeakCheckingTest}: the leak check then runs once
 * around the whole suite.
 */
public final class GuavaSuites {
    /**
     * Bound of one generated test, a guard against a hang. Most are a few calls on one object; the longest,
     * {@code ListListIteratorTester.testListIterator_fullyModifiable}, runs thousands of iterator sequences
     * on fresh lists (a few hundred ms on a quiet machine, 30 s on this 2-core machine while other
     * builds ran).
     */
    private static final Duration PER_TEST = Duration.ofSeconds(120);

    private GuavaSuites() {
    }

    /** The suite's tests, nested as the builder nested them (one container per feature set). */
    public static Stream<DynamicNode> of(TestSuite suite) {
        return Collections.list(suite.tests()).stream().map(GuavaSuites::node);
    }

    private static DynamicNode node(Test test) {
        if (test instanceof TestSuite) {
            TestSuite suite = (TestSuite) test;
            List<DynamicNode> children = Collections.list(suite.tests()).stream().map(GuavaSuites::node)
                    .collect(Collectors.toList());
            return dynamicContainer(suite.getName(), children);
        }
        String name = test instanceof TestCase ? ((TestCase) test).getName() : test.toString();
        return DynamicTest.dynamicTest(name, () -> run(test));
    }

    private static void run(Test test) throws Throwable {
        TestResult result = new TestResult();
        assertTimeoutPreemptively(PER_TEST, () -> test.run(result), () -> test + " timed out");
        for (TestFailure f : Collections.list(result.errors())) {
            throw f.thrownException();
        }
        for (TestFailure f : Collections.list(result.failures())) {
            Throwable t = f.thrownException();
            throw t instanceof AssertionFailedError ? new AssertionError(t.getMessage(), t) : t;
        }
    }
}
