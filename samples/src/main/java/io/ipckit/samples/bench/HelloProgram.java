package io.ipckit.samples.bench;

import io.ipckit.core.Manager;
import io.ipckit.core.SharedQueue;
import io.ipckit.pool.Pool;

import java.util.List;

/**
 * The first program a user writes, ipckit's version of {@code ../shared/anchors/python_first_program.py}:
 * a Manager queue, a pool of two workers, a writer task putting the letters of "python", a reader task
 * taking six letters, then a small map. Prints {@code python} and {@code [1, 2, 3]}.
 * {@code bench --only hello} starts it as a user would start their own program (plain {@code java}, ipckit's
 * flags, the classpath) and times it whole ({@code hello.wall}, {@code hello.cpu}): see {@link FirstContactBench}.
 */
public final class HelloProgram {
    private HelloProgram() {
    }

    public static void main(String[] args) throws Exception {
        try (Manager m = Manager.start()) {
            SharedQueue<String> q = m.queue("letters");
            try (Pool p = Pool.create(2)) {
                p.apply(() -> {
                    for (char c : "python".toCharArray()) {
                        q.put(String.valueOf(c));
                    }
                    return null;
                });
                System.out.println(p.apply(() -> {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < 6; i++) {
                        sb.append(q.take());
                    }
                    return sb.toString();
                }));
                System.out.println(p.map(Math::abs, List.of(-1, -2, -3)));
            }
        }
    }
}
