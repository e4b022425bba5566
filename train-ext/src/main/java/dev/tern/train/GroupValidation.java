package dev.tern.train;

import dev.tern.ir.Tensor;
import dev.tern.train.data.BatchSource;
import dev.tern.train.data.Feed;
import dev.tern.train.internal.LossSums;
import dev.tern.train.report.EpochStats;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The validation of a {@link GroupTrainingSession}: each validated group's loss evaluated on the
 * validation batches with every group's current weights ({@link GroupTrainingSession#evaluate}),
 * updating nothing. A batch feeds a group the {@linkplain GroupTrainingSession#dataInputs data
 * inputs} it holds among its inputs, and its labels under the group's first target column the
 * inputs do not hold.
 *
 * <p>An epoch reports, as means per example, {@code validation.loss.GROUP} for each group (its
 * loss, terms weighted), {@code validation.loss.GROUP.TERM} for each of its terms (before their
 * weight), and {@code validation.loss}, the sum of the groups'. The accuracy and error fields of
 * {@link EpochStats} are NaN: a group's terms may read any output against any target.
 */
final class GroupValidation implements EpochValidation {
    private static final String PREFIX = "validation";

    private final GroupTrainingSession session;
    private final BatchSource batches;
    private final List<String> groups;
    private final Set<String> measured;

    /**
     * Checks the groups and the columns of the first validation batch.
     *
     * @throws IllegalStateException if the session has no group of one of {@code groups}, or two
     *     metrics would get the same name (a group named as another's {@code GROUP.TERM})
     * @throws TrainingException if the first validation batch lacks a column a group reads
     */
    GroupValidation(GroupTrainingSession session, BatchSource batches, List<String> groups) {
        this.session = session;
        this.batches = batches;
        this.groups = List.copyOf(groups);
        for (String group : this.groups) {
            if (!session.groupNames().contains(group)) {
                throw new IllegalStateException("validation names parameter group '" + group
                        + "', which the session lacks; its groups are " + session.groupNames());
            }
        }
        this.measured = metricNames();
        Iterator<Feed> first = batches.epoch(0).iterator();
        if (first.hasNext()) {
            Feed batch = first.next();
            this.groups.forEach(group -> feed(group, batch, 1));
        }
    }

    /** Makes the validation of {@code session}'s groups named, or of all its groups. */
    static EpochValidation.Factory factory(GroupTrainingSession session) {
        return (batches, groups) -> new GroupValidation(session, batches,
                groups == null ? session.groupNames() : groups);
    }

    @Override
    public void requireMeasures(Monitor monitor, String monitoredBy) {
        if (monitor.needsValidation() && !measured.contains(monitor.metric())) {
            throw new IllegalStateException(monitoredBy + " monitors '" + monitor.metric()
                    + "', which the validation of parameter groups " + groups + " does not measure; it measures "
                    + measured);
        }
    }

    @Override
    public EpochStats measure(int epoch, double trainLoss, double examplesPerSecond, Map<String, Double> metrics) {
        // Group losses go in as terms named GROUP, and group terms as GROUP.TERM, so one sum gives every mean.
        LossSums losses = new LossSums();
        int index = 0;
        for (Feed batch : batches.epoch(0)) {
            index++;
            Map<String, Double> terms = new LinkedHashMap<>();
            double total = 0;
            for (String group : groups) {
                Evaluation evaluation = session.evaluate(feed(group, batch, index), group);
                total += evaluation.loss();
                terms.put(group, evaluation.loss());
                evaluation.terms().forEach((term, value) -> terms.put(group + "." + term, value));
            }
            losses.add(total, terms, batch.size());
        }
        metrics.putAll(losses.means(PREFIX));
        return new EpochStats(epoch, trainLoss, losses.meanLoss(), Double.NaN, examplesPerSecond, Double.NaN,
                Double.NaN, metrics);
    }

    /** What {@link #measure} names: the total, each group's loss and each of its terms. */
    private Set<String> metricNames() {
        Set<String> names = new LinkedHashSet<>();
        names.add(PREFIX + ".loss");
        for (String group : groups) {
            requireNew(names, EpochStats.VALIDATION_TERM_PREFIX + group);
            for (String term : session.loss(group).names()) {
                requireNew(names, EpochStats.VALIDATION_TERM_PREFIX + group + "." + term);
            }
        }
        return names;
    }

    private static void requireNew(Set<String> names, String name) {
        if (!names.add(name)) {
            throw new IllegalStateException("two validation metrics of the parameter groups would be named '" + name
                    + "' (a group named as another group's GROUP.TERM); rename a group or a term");
        }
    }

    /**
     * The columns {@code group}'s evaluation reads from batch {@code index} (from 1).
     *
     * @throws TrainingException if the batch lacks one
     */
    private Map<String, Tensor> feed(String group, Feed batch, int index) {
        Map<String, Tensor> fed = new HashMap<>();
        List<String> reads = session.dataInputs(group);
        for (String column : reads) {
            Tensor tensor = batch.inputs().get(column);
            if (tensor != null) {
                fed.put(column, tensor);
            }
        }
        String labelled = session.targetColumns(group).stream().filter(column -> !fed.containsKey(column))
                .findFirst().orElse(null);
        if (labelled != null) {
            fed.put(labelled, batch.labels());
        }
        for (String column : reads) {
            if (!fed.containsKey(column)) {
                throw new TrainingException("parameter group '" + group + "' reads '" + column
                        + "', which validation batch " + index + " does not feed: it holds inputs "
                        + new TreeSet<>(batch.inputs().keySet())
                        + (labelled == null ? "" : " and labels for '" + labelled + "'"));
            }
        }
        return fed;
    }
}
