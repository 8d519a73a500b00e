package io.ipckit.cluster;

import io.ipckit.cluster.internal.NodeMain;
import io.ipckit.core.test.Children;
import io.ipckit.core.test.LeakCheckingTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node's settings are checked up front, with messages that say what is wrong. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterNodeTest extends LeakCheckingTest {
    /** TEST-NET-1 (RFC 5737): never this host's; only looked up locally, nothing is sent. */
    private static final ClusterAddress ELSEWHERE = ClusterAddress.create("c",
            List.of(new ClusterAddress.Member("192.0.2.1", 5701)));

    @TempDir
    Path logs;

    @Test
    void badSettingsAreRefusedWhenSet() {
        ClusterNode.Builder b = ClusterNode.builder(ELSEWHERE);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> b.backupCount(7)), "backupCount 7");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> b.partitionCount(0)), "partitionCount 0");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> b.memberTimeout(Duration.ofSeconds(1))),
                "memberTimeout");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> b.clientTimeout(Duration.ofMillis(10))),
                "clientTimeout");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> b.startTimeout(Duration.ZERO)),
                "startTimeout");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> b.bind("127.0.0.1", 0)), "port 0");
        assertThrows(NullPointerException.class, () -> ClusterNode.builder(null));
    }

    @Test
    void aNodeNeedsItsOwnEntryOrABind() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClusterNode.builder(ELSEWHERE).start());
        assertMessage(e, "none of the members");
        assertMessage(e, "bind(host, port)");
    }

    @Test
    void nodeMainRefusesBadArgumentsWithStatus2() throws Exception {
        try (Children children = new Children(logs)) {
            Process p = children.start(NodeMain.class, "ipckit-cluster://c@127.0.0.1:5701#short");
            assertEquals(2, children.await(p, 30));
            assertTrue(children.logOf(p).contains("token is not 32 lowercase hex digits"), children.logOf(p));
        }
    }

    private static void assertMessage(Exception e, String part) {
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
