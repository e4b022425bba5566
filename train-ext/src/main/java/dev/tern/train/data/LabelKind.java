package dev.tern.train.data;

/** What a data set's labels are. */
public enum LabelKind {
    /** One class index per example, batched as an int64 tensor {@code [batch]}. */
    CLASS_INDEX,
    /** A float vector per example, batched as a float32 tensor {@code [batch, ...target shape]}. */
    TARGET
}
