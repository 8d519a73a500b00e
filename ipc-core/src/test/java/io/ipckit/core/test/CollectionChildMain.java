package io.ipckit.core.test;

import io.ipckit.core.Codec;
import io.ipckit.core.SharedList;
import io.ipckit.core.SharedMap;

import java.util.Base64;

/**
 * Child JVM for the shared-collection tests: {@code <action> <base64 handle>}, the handle encoded by
 * {@link HandleChildMain#encode}. Actions:
 * <ul>
 * <li>{@code list-add <list>}: appends 1..300 one request at a time, then prints "done";</li>
 * <li>{@code map-merge <map>}: 200 times {@code merge("n", 1, Integer::sum)}, then prints "done".</li>
 * </ul>
 */
public final class CollectionChildMain {
    private CollectionChildMain() {
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) {
        byte[] bytes = Base64.getDecoder().decode(args[1]);
        Object handle = Codec.defaults().decode(bytes, 0, bytes.length);
        switch (args[0]) {
            case "list-add": {
                SharedList<Integer> list = (SharedList<Integer>) handle;
                for (int i = 1; i <= 300; i++) {
                    list.add(i);
                }
                break;
            }
            case "map-merge": {
                SharedMap<String, Integer> map = (SharedMap<String, Integer>) handle;
                for (int i = 0; i < 200; i++) {
                    map.merge("n", 1, Integer::sum);
                }
                break;
            }
            default:
                throw new IllegalArgumentException(args[0]);
        }
        System.out.println("done");
    }
}
