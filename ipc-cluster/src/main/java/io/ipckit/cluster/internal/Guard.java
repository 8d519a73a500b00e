package io.ipckit.cluster.internal;

import com.hazelcast.client.HazelcastClientNotActiveException;
import com.hazelcast.collection.IQueue;
import com.hazelcast.map.IMap;
import com.hazelcast.client.HazelcastClientOfflineException;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.OperationTimeoutException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import io.ipckit.cluster.ClusterUnreachableException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * Wraps a Hazelcast proxy (an {@code IQueue}, an {@code IMap}) so that its failures to reach the cluster
 * come out as {@link ClusterUnreachableException} naming the ipckit object; every other exception passes
 * unchanged.
 */
final class Guard {
    private Guard() {
    }

    /** {@code target} guarded. */
    @SuppressWarnings("unchecked")
    static <K, V> IMap<K, V> map(IMap<K, V> target, String what) {
        return of(IMap.class, target, what);
    }

    /** {@code target} guarded. */
    @SuppressWarnings("unchecked")
    static <E> IQueue<E> queue(IQueue<E> target, String what) {
        return of(IQueue.class, target, what);
    }

    /** {@code target} guarded. */
    @SuppressWarnings("unchecked")
    static <E> com.hazelcast.collection.IList<E> list(com.hazelcast.collection.IList<E> target, String what) {
        return of(com.hazelcast.collection.IList.class, target, what);
    }

    @SuppressWarnings("unchecked")
    private static <T> T of(Class<T> type, Object target, String what) {
        return (T) Proxy.newProxyInstance(Guard.class.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw translate(e.getCause(), what);
            }
        });
    }

    static Throwable translate(Throwable t, String what) {
        if (t instanceof HazelcastClientNotActiveException || t instanceof HazelcastInstanceNotActiveException) {
            return new ClusterUnreachableException(what + ": its cluster client is closed (or its node shut down);"
                    + " open the object again from a new client", t);
        }
        if (t instanceof OperationTimeoutException || t instanceof HazelcastClientOfflineException
                || t instanceof TargetDisconnectedException) {
            return new ClusterUnreachableException(what + ": the cluster did not answer within the client's"
                    + " invocation timeout; the client keeps reconnecting: retry later, and check that the cluster's"
                    + " nodes run (ipckit node --cluster ADDRESS)", t);
        }
        return t;
    }
}
