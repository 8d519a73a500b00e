package io.ipckit.cluster.internal.pool;

import com.hazelcast.collection.IQueue;
import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.pool.WorkerCrashedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The caller's decisions when a node leaves, on the result thread's side alone (the cluster's part, real
 * member JVMs killed with kill -9, is {@code ClusterPoolCrashTest}'s): a late STARTED from a node that left
 * before its task was retried does not charge the retried task again. Found by that test on the
 * fresh-clone CI: the dead node's STARTED reached the caller after the task, reported by no node, had been
 * charged to the departures of its grace period and resent; it then failed the task that {@code retries(1)}
 * was running on the other node.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NodeLossTest extends LeakCheckingTest {
    private static final Wire.NodeRef DEAD = new Wire.NodeRef("member-dead", "127.0.0.1:5701", 101);
    private static final Wire.NodeRef LIVE = new Wire.NodeRef("member-live", "127.0.0.1:5702", 102);

    private final InFlight inFlight = new InFlight("p");
    private final List<InFlight.Task> resent = new ArrayList<>();
    private final CompletableFuture<Throwable> outcome = new CompletableFuture<>();

    /** An empty task queue: its only call here is the orphan look's iteration. */
    @SuppressWarnings("unchecked")
    private static IQueue<byte[]> emptyQueue() {
        return (IQueue<byte[]>) Proxy.newProxyInstance(NodeLossTest.class.getClassLoader(), new Class<?>[] {IQueue.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("iterator")) {
                        return Collections.emptyIterator();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** An empty task queue whose first {@code failures} iterations fail, as during a partition's migration. */
    @SuppressWarnings("unchecked")
    private static IQueue<byte[]> queueFailingFirst(int failures) {
        java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(failures);
        return (IQueue<byte[]>) Proxy.newProxyInstance(NodeLossTest.class.getClassLoader(), new Class<?>[] {IQueue.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("iterator")) {
                        if (left.getAndDecrement() > 0) {
                            throw new IllegalStateException("partition migrating (test)");
                        }
                        return Collections.emptyIterator();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private NodeLoss loss(int retries) {
        return loss(retries, emptyQueue());
    }

    private NodeLoss loss(int retries, IQueue<byte[]> queue) {
        return new NodeLoss("p", "test", retries, inFlight, queue, t -> {
            resent.add(t); // as ClusterEngine.resend
            t.attempts++;
            t.node = null;
            t.sentAt = 0;
        }, Runnable::run, Runnable::run, () -> 0);
    }

    private InFlight.Task sentTask() {
        InFlight.Task t = new InFlight.Task(1, (values, error) -> outcome.complete(error), new byte[] {1, 2, 3}, null);
        t.sentAt = System.nanoTime();
        inFlight.add(t);
        return t;
    }

    /** A task taken by {@link #DEAD}, which then left: resent; 5 ms later (a later departure is later). */
    private InFlight.Task retriedAfterItsNodeLeft(NodeLoss loss) throws InterruptedException {
        InFlight.Task t = sentTask();
        loss.started(t, DEAD);
        loss.memberLeft(DEAD.member(), DEAD.host());
        assertEquals(List.of(t), resent, "its node left: resent");
        Thread.sleep(5);
        return t;
    }

    @Test
    void aLateStartedFromANodeThatLeftBeforeTheRetry_leavesTheRetriedTaskAlone() throws Exception {
        NodeLoss loss = loss(1);
        InFlight.Task t = sentTask();
        Thread.sleep(5);
        loss.memberLeft(DEAD.member(), DEAD.host()); // its STARTED not arrived yet: no node reported it
        long end = System.nanoTime() + NodeLoss.ORPHAN_GRACE.plus(NodeLoss.SETTLE).toNanos() + TimeUnit.SECONDS.toNanos(5);
        while (resent.isEmpty() && System.nanoTime() < end) {
            loss.tick();
            Thread.sleep(50);
        }
        assertEquals(List.of(t), resent, "not on the queue, not reported taken: resent after the grace period");

        loss.started(t, DEAD); // the dead node's STARTED, late
        assertFalse(outcome.isDone(), "the retried task failed on a stale STARTED: " + outcome.getNow(null));
        assertEquals(1, resent.size(), "resent once only");

        loss.started(t, LIVE); // the retry, taken by the live node
        assertEquals(LIVE, t.node);
        assertEquals(t, inFlight.get(1));
    }

    @Test
    void aFailedLookAtTheQueue_isMadeAgain_soATaskTheDeadNodeTookUnreportedIsStillResent() throws Exception {
        NodeLoss loss = loss(1, queueFailingFirst(2));
        InFlight.Task t = sentTask();
        Thread.sleep(5);
        loss.memberLeft(DEAD.member(), DEAD.host()); // it took t and died before reporting it
        long end = System.nanoTime() + NodeLoss.ORPHAN_GRACE.plus(NodeLoss.SETTLE.multipliedBy(4)).toNanos()
                + TimeUnit.SECONDS.toNanos(5);
        while (resent.isEmpty() && System.nanoTime() < end) {
            loss.tick();
            Thread.sleep(50);
        }
        assertEquals(List.of(t), resent, "two failed looks at the queue, then the third finds it gone: resent");
    }

    @Test
    void aNodeThatTookTheRetryAndThenLeft_chargesIt() throws Exception {
        NodeLoss loss = loss(1);
        InFlight.Task t = retriedAfterItsNodeLeft(loss);
        loss.started(t, LIVE);
        loss.memberLeft(LIVE.member(), LIVE.host()); // the node running the retry leaves too: no retry left
        Throwable error = outcome.getNow(null);
        assertInstanceOf(WorkerCrashedException.class, error);
        assertTrue(error.getMessage().contains(LIVE.host()) && error.getMessage().contains("pid " + LIVE.pid()),
                error.getMessage());
    }

    @Test
    void aStartedFromANodeThatLeftAfterTheRetryWasSent_chargesIt() throws Exception {
        NodeLoss loss = loss(1);
        InFlight.Task t = retriedAfterItsNodeLeft(loss);
        loss.memberLeft(LIVE.member(), LIVE.host()); // took the retry, then left before its STARTED arrived
        loss.started(t, LIVE);
        assertInstanceOf(WorkerCrashedException.class, outcome.getNow(null), "the retry's node left: no retry left");
    }
}
