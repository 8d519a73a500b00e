package io.ipckit.cluster.internal.pool;

import com.hazelcast.collection.IQueue;
import io.ipckit.core.test.LeakCheckingTest;
import io.ipckit.pool.WorkerCrashedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The caller's decisions when a node leaves, on the result thread's side alone (the cluster's part, real
 * member JVMs killed with kill -9, is {@code ClusterPoolCrashTest}'s and {@code ClusterPoolTwoNodesTest}'s;
 * the nodes' answers to a probe are given here by hand).
 *
 * <p>Found by those tests on the fresh-clone CI: the dead node's STARTED reached the caller after the task,
 * reported by no node, had been charged to the departures of its grace period and resent; it then failed
 * the task that {@code retries(1)} was running on the other node. And one task of 3,000 had no outcome at
 * all after a kill -9: a live node had reported taking it, so nothing looked for it when its outcome was
 * lost on its way; the round's probe finds such a task now.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NodeLossTest extends LeakCheckingTest {
    private static final Wire.NodeRef DEAD = new Wire.NodeRef("member-dead", "127.0.0.1:5701", 101);
    private static final Wire.NodeRef LIVE = new Wire.NodeRef("member-live", "127.0.0.1:5702", 102);
    private static final Wire.NodeRef SILENT = new Wire.NodeRef("member-silent", "127.0.0.1:5703", 103);

    /** The decisions' waits, shortened: their lengths are the engine's business, their order this test's. */
    private static final NodeLoss.Timing FAST =
            new NodeLoss.Timing(Duration.ofMillis(300), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMillis(400));

    private final InFlight inFlight = new InFlight("p");
    private final List<InFlight.Task> resent = new ArrayList<>();
    private final List<Long> probes = new ArrayList<>();
    private final CompletableFuture<Throwable> outcome = new CompletableFuture<>();

    /** A task queue holding {@code items}: its only call here is the round's iteration. */
    @SuppressWarnings("unchecked")
    private static IQueue<byte[]> queueOf(byte[]... items) {
        return (IQueue<byte[]>) Proxy.newProxyInstance(NodeLossTest.class.getClassLoader(), new Class<?>[] {IQueue.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("iterator")) {
                        return List.of(items).iterator();
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
        return loss(retries, queueOf(), Set.of(LIVE.member()));
    }

    private NodeLoss loss(int retries, IQueue<byte[]> queue, Set<String> liveNodes) {
        return new NodeLoss("p", "test", retries, inFlight, queue, t -> {
            resent.add(t); // as ClusterEngine.resend
            t.attempts++;
            t.node = null;
            t.sentAt = 0;
        }, Runnable::run, Runnable::run, () -> 0, () -> liveNodes, probes::add, FAST);
    }

    private InFlight.Task sentTask(long seq) {
        CompletableFuture<Throwable> done = seq == 1 ? outcome : new CompletableFuture<>();
        InFlight.Task t = new InFlight.Task(seq, (values, error) -> done.complete(error), new byte[] {(byte) seq, 2, 3}, null);
        t.sentAt = System.nanoTime();
        inFlight.add(t);
        return t;
    }

    private static void tickUntil(NodeLoss loss, BooleanSupplier done, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "not in time: " + what);
            loss.tick();
            Thread.sleep(20);
        }
    }

    /** Ticks until a probe (the next) is sent; its number. */
    private long awaitProbe(NodeLoss loss) throws InterruptedException {
        int before = probes.size();
        tickUntil(loss, () -> probes.size() > before, "a probe");
        return probes.get(probes.size() - 1);
    }

    /** A task taken by {@link #DEAD}, which then left: resent; 5 ms later (a later departure is later). */
    private InFlight.Task retriedAfterItsNodeLeft(NodeLoss loss) throws InterruptedException {
        InFlight.Task t = sentTask(1);
        loss.started(t, DEAD);
        loss.memberLeft(DEAD.member(), DEAD.host());
        assertEquals(List.of(t), resent, "its node left: resent");
        Thread.sleep(5);
        return t;
    }

    @Test
    void aLateStartedFromANodeThatLeftBeforeTheRetry_leavesTheRetriedTaskAlone() throws Exception {
        NodeLoss loss = loss(1);
        InFlight.Task t = sentTask(1);
        Thread.sleep(5);
        loss.memberLeft(DEAD.member(), DEAD.host()); // its STARTED not arrived yet: no node reported it
        assertTrue(resent.isEmpty(), "nothing resent before the round");
        loss.held(awaitProbe(loss), LIVE, new long[0]); // the live node does not hold it
        assertEquals(List.of(t), resent, "not on the queue, held by no live node: resent");

        loss.started(t, DEAD); // the dead node's STARTED, late
        assertFalse(outcome.isDone(), "the retried task failed on a stale STARTED: " + outcome.getNow(null));
        assertEquals(1, resent.size(), "resent once only");

        loss.started(t, LIVE); // the retry, taken by the live node
        assertEquals(LIVE, t.node);
        assertEquals(t, inFlight.get(1));
    }

    @Test
    void aFailedLookAtTheQueue_isMadeAgain_soATaskTheDeadNodeTookUnreportedIsStillResent() throws Exception {
        NodeLoss loss = loss(1, queueFailingFirst(2), Set.of(LIVE.member()));
        InFlight.Task t = sentTask(1);
        Thread.sleep(5);
        loss.memberLeft(DEAD.member(), DEAD.host()); // it took t and died before reporting it
        loss.held(awaitProbe(loss), LIVE, new long[0]);
        assertEquals(List.of(t), resent, "two failed looks at the queue, then the third finds it gone: resent");
    }

    /** The hole the kill form of {@code ClusterPoolTwoNodesTest} found: a live node's outcome lost on its way. */
    @Test
    void anOutcomeLostOnItsWay_isFoundByTheProbe_andTheTaskFailsWithoutRetries() throws Exception {
        NodeLoss loss = loss(0);
        InFlight.Task t = sentTask(1);
        loss.started(t, LIVE);
        loss.memberLeft(DEAD.member(), DEAD.host()); // it owned the result queue; the outcome went with it
        assertFalse(outcome.isDone(), "a live node's task is not charged with another's departure");
        loss.held(awaitProbe(loss), LIVE, new long[0]); // done, not held: its outcome is not coming
        Throwable error = outcome.getNow(null);
        assertInstanceOf(WorkerCrashedException.class, error);
        assertTrue(error.getMessage().contains("outcome never reached this caller")
                && error.getMessage().contains(LIVE.host()) && error.getMessage().contains(DEAD.host()), error.getMessage());
        assertEquals(List.of(), resent);
    }

    @Test
    void tasksStillQueuedOrHeldByALiveNode_areLeftAlone_andHeldOnesAreChargedToThatNode() throws Exception {
        InFlight.Task queued = sentTask(1);
        InFlight.Task heldUnreported = sentTask(2); // its STARTED lost
        InFlight.Task lost = sentTask(3);
        NodeLoss loss = loss(1, queueOf(queued.sealed.clone()), Set.of(LIVE.member()));
        loss.memberLeft(DEAD.member(), DEAD.host());
        loss.held(awaitProbe(loss), LIVE, new long[] {2});
        assertEquals(List.of(lost), resent, "only the task in neither place is resent");
        assertEquals(LIVE, heldUnreported.node, "the answer says who holds it");
        loss.memberLeft(LIVE.member(), LIVE.host());
        assertEquals(List.of(lost, heldUnreported), resent, "its holder left: resent");
        assertEquals(queued, inFlight.get(1));
    }

    @Test
    void aSilentNodeIsProbedAgain_thenTheRoundDecidesLeavingItsOwnTasksAlone() throws Exception {
        NodeLoss loss = loss(1, queueOf(), Set.of(LIVE.member(), SILENT.member()));
        InFlight.Task unreported = sentTask(1);
        InFlight.Task silents = sentTask(2);
        loss.started(silents, SILENT);
        loss.memberLeft(DEAD.member(), DEAD.host());
        long first = awaitProbe(loss);
        loss.held(first, LIVE, new long[0]);
        assertTrue(resent.isEmpty(), "the round waits for every live node's answer");
        tickUntil(loss, () -> !resent.isEmpty(), "the round's verdict");
        assertEquals(NodeLoss.PROBE_ATTEMPTS, probes.size(), "probed again until the attempts ran out");
        assertEquals(List.of(unreported), resent, "a task no answer names is resent; the silent node keeps its own");
        assertEquals(SILENT, silents.node);
    }

    @Test
    void withNoDeparture_aWatchRoundFindsAnOutcomeLostOnItsWay_andLeavesHeldTasksAlone() throws Exception {
        NodeLoss loss = loss(0);
        InFlight.Task lost = sentTask(1);
        InFlight.Task running = sentTask(2);
        InFlight.Task notTaken = sentTask(3); // on the queue as far as anyone knows: not the watch's business
        loss.started(lost, LIVE);
        loss.started(running, LIVE);
        long probe = awaitProbe(loss); // after the watch period, no member having left
        assertFalse(outcome.isDone());
        loss.held(probe, LIVE, new long[] {2});
        Throwable error = outcome.getNow(null);
        assertInstanceOf(WorkerCrashedException.class, error);
        assertTrue(error.getMessage().contains("outcome never reached this caller"), error.getMessage());
        assertEquals(running, inFlight.get(2));
        assertEquals(notTaken, inFlight.get(3));
        assertEquals(List.of(), resent);
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
