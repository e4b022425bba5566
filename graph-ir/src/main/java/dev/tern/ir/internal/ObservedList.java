package dev.tern.ir.internal;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A list that runs a callback after every change (set, add, remove, and everything built on
 * them: clear, removeIf, iterator removal, sublist edits). The IR hands these out where
 * callers edit a collection directly, such as a model's functions, so those edits count as
 * modifications. Null elements are refused.
 */
public final class ObservedList<E> extends AbstractList<E> {
    private final List<E> elements = new ArrayList<>();
    private final Runnable onChange;

    public ObservedList(Runnable onChange) {
        this.onChange = Objects.requireNonNull(onChange, "onChange");
    }

    @Override
    public E get(int index) {
        return elements.get(index);
    }

    @Override
    public int size() {
        return elements.size();
    }

    @Override
    public E set(int index, E element) {
        Objects.requireNonNull(element, "element");
        E previous = elements.set(index, element);
        onChange.run();
        return previous;
    }

    @Override
    public void add(int index, E element) {
        Objects.requireNonNull(element, "element");
        elements.add(index, element);
        modCount++;
        onChange.run();
    }

    @Override
    public E remove(int index) {
        E removed = elements.remove(index);
        modCount++;
        onChange.run();
        return removed;
    }
}
