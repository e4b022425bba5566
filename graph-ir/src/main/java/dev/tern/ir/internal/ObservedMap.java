package dev.tern.ir.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An insertion-ordered map that runs a callback after every change, however it is made (put,
 * remove, an entry's setValue, removal through a view's iterator). The IR hands these out
 * where callers edit a collection directly, such as metadata, so those edits count as
 * modifications. Null keys and values are refused: ONNX has no place for them.
 */
public final class ObservedMap<K, V> extends AbstractMap<K, V> {
    private final Map<K, V> entries = new LinkedHashMap<>();
    private final Runnable onChange;

    public ObservedMap(Runnable onChange) {
        this.onChange = Objects.requireNonNull(onChange, "onChange");
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    public V get(Object key) {
        return entries.get(key);
    }

    @Override
    public V put(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, () -> "value of '" + key + "'");
        V previous = entries.put(key, value);
        onChange.run();
        return previous;
    }

    @Override
    public V remove(Object key) {
        if (!entries.containsKey(key)) {
            return null;
        }
        V removed = entries.remove(key);
        onChange.run();
        return removed;
    }

    @Override
    public void clear() {
        if (!entries.isEmpty()) {
            entries.clear();
            onChange.run();
        }
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return entries.size();
            }

            @Override
            public Iterator<Entry<K, V>> iterator() {
                Iterator<Entry<K, V>> delegate = entries.entrySet().iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return delegate.hasNext();
                    }

                    @Override
                    public Entry<K, V> next() {
                        return new ObservedEntry(delegate.next());
                    }

                    @Override
                    public void remove() {
                        delegate.remove();
                        onChange.run();
                    }
                };
            }
        };
    }

    /** An entry whose setValue is a change like any other. */
    private final class ObservedEntry extends SimpleEntry<K, V> {
        private final Entry<K, V> delegate;

        ObservedEntry(Entry<K, V> delegate) {
            super(delegate);
            this.delegate = delegate;
        }

        @Override
        public V setValue(V value) {
            Objects.requireNonNull(value, () -> "value of '" + getKey() + "'");
            super.setValue(value);
            V previous = delegate.setValue(value);
            onChange.run();
            return previous;
        }
    }
}
