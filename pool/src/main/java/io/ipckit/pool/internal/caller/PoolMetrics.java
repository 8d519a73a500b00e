package io.ipckit.pool.internal.caller;

import io.ipckit.core.internal.jmx.Jmx;
import io.ipckit.core.internal.jmx.Rate;
import io.ipckit.pool.WorkerInfo;

import java.util.List;
import java.util.Map;

/** The {@link PoolMXBean} of one pool. Any thread; reads only. */
final class PoolMetrics implements PoolMXBean {
    private final Engine engine;
    private final Rate tasks;

    private PoolMetrics(Engine engine) {
        this.engine = engine;
        this.tasks = new Rate(this::getTasksDone);
    }

    /** Registers the MBean of a pool that starts; nothing when JMX is off. */
    static Jmx.Registration register(Engine engine) {
        if (!Jmx.ON) {
            return Jmx.Registration.NONE;
        }
        return Jmx.register("Pool", Map.of("name", engine.name()), new PoolMetrics(engine));
    }

    private List<WorkerInfo> workers() {
        return WorkerInfo.list(engine.directory());
    }

    @Override
    public String getName() {
        return engine.name();
    }

    @Override
    public String getSpace() {
        return engine.directory().toString();
    }

    @Override
    public int getSize() {
        return engine.config().size();
    }

    @Override
    public int getReadyWorkers() {
        return engine.readyCount();
    }

    @Override
    public int getPendingTasks() {
        return engine.pendingCount();
    }

    @Override
    public long getTasksDone() {
        return workers().stream().mapToLong(WorkerInfo::tasksDone).sum();
    }

    @Override
    public double getTaskRate() {
        return tasks.perSecond();
    }

    @Override
    public long[] getWorkerPids() {
        return engine.workerPids().stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public String[] getWorkers() {
        return workers().stream().map(w -> w.index() + " " + w.pid() + " " + w.state() + " " + w.tasksDone())
                .toArray(String[]::new);
    }
}
