package io.ipckit.core.internal.codec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The most specific collection interface a JDK-internal collection class implements, with the
 * plain JDK collection that stands in for it after decoding and the {@link Collections} wrapper
 * that restores its unmodifiable or synchronized view.
 */
enum CollectionShape {
    LIST, NAVIGABLE_SET, SORTED_SET, SET, COLLECTION, NAVIGABLE_MAP, SORTED_MAP, MAP;

    /** How the decoded copy is wrapped. */
    enum Wrap { NONE, UNMODIFIABLE, SYNCHRONIZED }

    static CollectionShape of(Class<?> type) {
        if (Map.class.isAssignableFrom(type)) {
            return NavigableMap.class.isAssignableFrom(type) ? NAVIGABLE_MAP
                    : SortedMap.class.isAssignableFrom(type) ? SORTED_MAP : MAP;
        }
        if (List.class.isAssignableFrom(type)) {
            return LIST;
        }
        if (Set.class.isAssignableFrom(type)) {
            return NavigableSet.class.isAssignableFrom(type) ? NAVIGABLE_SET
                    : SortedSet.class.isAssignableFrom(type) ? SORTED_SET : SET;
        }
        return COLLECTION;
    }

    static Wrap wrapOf(Class<?> type) {
        String name = type.getName();
        if (name.contains("$Unmodifiable")) {
            return Wrap.UNMODIFIABLE;
        }
        return name.contains("$Synchronized") ? Wrap.SYNCHRONIZED : Wrap.NONE;
    }

    boolean isSorted() {
        return this == NAVIGABLE_SET || this == SORTED_SET || this == NAVIGABLE_MAP || this == SORTED_MAP;
    }

    boolean isMap() {
        return this == NAVIGABLE_MAP || this == SORTED_MAP || this == MAP;
    }

    /** A new, empty, modifiable stand-in; comparator is used by the sorted shapes only. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Object newInstance(Comparator<?> comparator) {
        return switch (this) {
            case LIST, COLLECTION -> new ArrayList<>();
            case NAVIGABLE_SET, SORTED_SET -> new TreeSet<>((Comparator) comparator);
            case SET -> new LinkedHashSet<>();
            case NAVIGABLE_MAP, SORTED_MAP -> new TreeMap<>((Comparator) comparator);
            case MAP -> new LinkedHashMap<>();
        };
    }

    /** Wraps a stand-in made by {@link #newInstance}; the view stays live, so it may be filled after. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Object wrap(Object inner, Wrap wrap) {
        if (wrap == Wrap.NONE) {
            return inner;
        }
        boolean unmodifiable = wrap == Wrap.UNMODIFIABLE;
        return switch (this) {
            case LIST -> unmodifiable ? Collections.unmodifiableList((List) inner) : Collections.synchronizedList((List) inner);
            case NAVIGABLE_SET -> unmodifiable ? Collections.unmodifiableNavigableSet((NavigableSet) inner)
                    : Collections.synchronizedNavigableSet((NavigableSet) inner);
            case SORTED_SET -> unmodifiable ? Collections.unmodifiableSortedSet((SortedSet) inner)
                    : Collections.synchronizedSortedSet((SortedSet) inner);
            case SET -> unmodifiable ? Collections.unmodifiableSet((Set) inner) : Collections.synchronizedSet((Set) inner);
            case COLLECTION -> unmodifiable ? Collections.unmodifiableCollection((Collection) inner)
                    : Collections.synchronizedCollection((Collection) inner);
            case NAVIGABLE_MAP -> unmodifiable ? Collections.unmodifiableNavigableMap((NavigableMap) inner)
                    : Collections.synchronizedNavigableMap((NavigableMap) inner);
            case SORTED_MAP -> unmodifiable ? Collections.unmodifiableSortedMap((SortedMap) inner)
                    : Collections.synchronizedSortedMap((SortedMap) inner);
            case MAP -> unmodifiable ? Collections.unmodifiableMap((Map) inner) : Collections.synchronizedMap((Map) inner);
        };
    }
}
