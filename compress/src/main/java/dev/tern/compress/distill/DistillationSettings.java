package dev.tern.compress.distill;

/**
 * How strongly a student follows its teacher. The loss is
 * {@code alpha * T^2 * KL(softmax(teacher / T) || softmax(student / T)) + (1 - alpha) * CE(student, labels)}
 * (Hinton et al., 2015): the temperature {@code T} softens both distributions so the teacher's
 * ranking of the wrong classes carries over, and {@code T^2} keeps the gradients of the soft
 * term on the scale of the hard one as {@code T} grows.
 *
 * @param temperature {@code T}, above 0
 * @param alpha the weight of the distillation term, in [0, 1]; the labels' term gets {@code 1 - alpha}
 */
public record DistillationSettings(double temperature, double alpha) {
    /** Hinton et al.'s usual choice for small classifiers: T = 4, alpha = 0.9. */
    public static final DistillationSettings DEFAULTS = new DistillationSettings(4, 0.9);

    /**
     * @throws IllegalArgumentException if the temperature is not finite and above 0, or alpha is
     *     outside [0, 1]
     */
    public DistillationSettings {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("the distillation temperature must be finite and above 0, found "
                    + temperature);
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("the distillation weight alpha must be in [0, 1], found " + alpha);
        }
    }
}
