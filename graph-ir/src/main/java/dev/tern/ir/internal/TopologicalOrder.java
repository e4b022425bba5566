package dev.tern.ir.internal;

import dev.tern.ir.Graph;
import dev.tern.ir.IrException;
import dev.tern.ir.Node;
import dev.tern.ir.Value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.stream.Collectors;

/**
 * Dependency order among the nodes of one graph. A node depends on the producers of the
 * values it reads, including values read by nodes of its subgraphs (outer references), since
 * those must exist before the node runs.
 */
public final class TopologicalOrder {
    private final List<Node> nodes;
    private final Map<Node, Integer> position = new IdentityHashMap<>();
    private final List<List<Integer>> dependents = new ArrayList<>();
    private final List<List<Integer>> dependencies = new ArrayList<>();

    private TopologicalOrder(List<Node> nodes) {
        this.nodes = List.copyOf(nodes);
        for (int i = 0; i < this.nodes.size(); i++) {
            position.put(this.nodes.get(i), i);
            dependents.add(new ArrayList<>());
            dependencies.add(new ArrayList<>());
        }
        for (int i = 0; i < this.nodes.size(); i++) {
            for (Value read : reads(this.nodes.get(i))) {
                Integer producer = read.producer() == null ? null : position.get(read.producer());
                if (producer != null) {
                    dependents.get(producer).add(i);
                    dependencies.get(i).add(producer);
                }
            }
        }
    }

    /**
     * The nodes in an order where producers come before readers; among nodes ready at the
     * same time the one earlier in {@code nodes} goes first, so a valid order is kept.
     *
     * @throws IrException naming the nodes of one cycle if there is one
     */
    public static List<Node> sort(String graphName, List<Node> nodes) {
        TopologicalOrder order = new TopologicalOrder(nodes);
        List<Node> sorted = order.kahn();
        if (sorted.size() != nodes.size()) {
            throw new IrException("graph '" + graphName + "' has a cycle: " + describe(order.cycleAmong(sorted)));
        }
        return sorted;
    }

    /**
     * One cycle among {@code nodes}, as the nodes along it in dependency order with the first
     * repeated at the end ({@code a, b, a}: b reads a, a reads b); empty if there is none.
     */
    public static List<Node> findCycle(List<Node> nodes) {
        TopologicalOrder order = new TopologicalOrder(nodes);
        List<Node> sorted = order.kahn();
        return sorted.size() == nodes.size() ? List.of() : order.cycleAmong(sorted);
    }

    /** "'a' (Add) -> 'b' (Relu) -> 'a' (Add)". */
    public static String describe(List<Node> cycle) {
        return cycle.stream().map(Node::describe).collect(Collectors.joining(" -> "));
    }

    /** Values {@code node} reads: its inputs, then every input of a node in its subgraphs, recursively. */
    public static List<Value> reads(Node node) {
        List<Value> reads = new ArrayList<>();
        for (Value input : node.inputs()) {
            if (input != null) {
                reads.add(input);
            }
        }
        for (Graph subgraph : node.subgraphs()) {
            for (Node inner : subgraph.allNodes()) {
                for (Value input : inner.inputs()) {
                    if (input != null) {
                        reads.add(input);
                    }
                }
            }
        }
        return reads;
    }

    private List<Node> kahn() {
        int[] pending = new int[nodes.size()];
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < nodes.size(); i++) {
            pending[i] = dependencies.get(i).size();
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        List<Node> sorted = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            int next = ready.poll();
            sorted.add(nodes.get(next));
            for (int dependent : dependents.get(next)) {
                if (--pending[dependent] == 0) {
                    ready.add(dependent);
                }
            }
        }
        return sorted;
    }

    /**
     * Every node Kahn's algorithm left over has a left-over dependency, so walking from one
     * such node to a left-over dependency, again and again, must revisit a node: that loop is
     * a cycle.
     */
    private List<Node> cycleAmong(List<Node> sorted) {
        boolean[] done = new boolean[nodes.size()];
        for (Node node : sorted) {
            done[position.get(node)] = true;
        }
        int start = 0;
        while (done[start]) {
            start++;
        }
        List<Integer> walk = new ArrayList<>();
        Map<Integer, Integer> stepOf = new HashMap<>();
        int current = start;
        while (!stepOf.containsKey(current)) {
            stepOf.put(current, walk.size());
            walk.add(current);
            current = firstPending(current, done);
        }
        List<Integer> loop = new ArrayList<>(walk.subList(stepOf.get(current), walk.size()));
        // The walk went from readers to producers; a cycle reads better producer first, and
        // starting it at the earliest node in the graph makes the message predictable.
        Collections.reverse(loop);
        Collections.rotate(loop, -loop.indexOf(Collections.min(loop)));
        List<Node> cycle = new ArrayList<>();
        for (int index : loop) {
            cycle.add(nodes.get(index));
        }
        cycle.add(cycle.get(0));
        return cycle;
    }

    private int firstPending(int node, boolean[] done) {
        for (int dependency : dependencies.get(node)) {
            if (!done[dependency]) {
                return dependency;
            }
        }
        throw new IllegalStateException("node " + nodes.get(node).describe() + " was left unsorted with no pending dependency");
    }
}
