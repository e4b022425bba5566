package dev.tern.spark;

import dev.tern.spark.internal.ColumnTypes;
import dev.tern.spark.internal.InferencePlan;
import dev.tern.spark.internal.ModelFiles;
import dev.tern.spark.internal.NumericInput;
import dev.tern.spark.internal.OutputColumn;
import dev.tern.spark.internal.PartitionInference;
import dev.tern.spark.internal.SqlFunction;
import dev.tern.spark.internal.TextColumn;
import dev.tern.spark.internal.TextInput;
import dev.tern.ir.ValueType;
import dev.tern.spark.internal.ModelSignature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * An ONNX model as a Spark ML {@link Transformer}: each row's input columns feed the model's
 * inputs, and its outputs come back as new array columns. Usable in a Java {@code Pipeline},
 * and from Spark SQL through {@link #registerFunction}.
 *
 * <pre>{@code
 * TernModel embed = TernModel.builder()
 *         .modelFile(Path.of("/models/all-minilm-l6-v2.onnx"))
 *         .textInput("text", Path.of("/models/tokenizer.json"), 128)
 *         .meanPooledOutput("last_hidden_state", "embedding")
 *         .build();
 * Dataset<Row> embedded = embed.transform(sentences);
 * }</pre>
 *
 * <p>On each executor JVM the model is compiled once and shared by every task there; each task
 * feeds it {@link Builder#rowsPerRun} rows per ONNX Runtime run. Array columns (of any numeric
 * type) and ML vectors feed numeric inputs; a string column feeds an encoder through its
 * tokenizer. A bad row (a null, the wrong number of values) fails the task with a
 * {@link BadRowException} naming the column and row, or, with {@link Builder#errorColumn}, gets
 * nulls in the output columns and the reason in the error column. Immutable; {@link #copy}
 * returns this model, which has no Spark ML params to change.
 */
public final class TernModel extends Transformer {
    private static final long serialVersionUID = 1L;

    private final String uid = Identifiable.randomUID("tern");
    private final ModelFiles files;
    private final List<NumericInput> numericInputs;
    private final TextColumn textColumn;
    private final List<OutputColumn> outputs;
    private final int rowsPerRun;
    private final int threadsPerTask;
    private final String errorColumn;

    TernModel(ModelFiles files, List<NumericInput> numericInputs, TextColumn textColumn, List<OutputColumn> outputs,
              int rowsPerRun, int threadsPerTask, String errorColumn) {
        this.files = files;
        this.numericInputs = List.copyOf(numericInputs);
        this.textColumn = textColumn;
        this.outputs = List.copyOf(outputs);
        this.rowsPerRun = rowsPerRun;
        this.threadsPerTask = threadsPerTask;
        this.errorColumn = errorColumn;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String uid() {
        return uid;
    }

    /**
     * The schema with the output columns appended, each an array of the output's element type
     * (then the error column, a nullable string, if asked for).
     *
     * @throws IllegalArgumentException if an input column is missing or of a type that cannot
     *     feed its model input, or an output column already exists
     */
    @Override
    public StructType transformSchema(StructType schema) {
        List<String> columns = Arrays.asList(schema.fieldNames());
        for (NumericInput input : numericInputs) {
            DataType type = schema.fields()[index(columns, input.column())].dataType();
            if (!ColumnTypes.canFeed(type, input.type())) {
                throw new IllegalArgumentException("column '" + input.column() + "' is " + type.simpleString()
                        + "; model input '" + input.modelInput() + "' (" + input.type() + ") takes "
                        + ColumnTypes.accepted(input.type()));
            }
        }
        if (textColumn != null) {
            DataType type = schema.fields()[index(columns, textColumn.column())].dataType();
            if (!type.equals(DataTypes.StringType)) {
                throw new IllegalArgumentException("text column '" + textColumn.column() + "' is "
                        + type.simpleString() + ", expected string");
            }
        }
        StructType out = schema;
        for (OutputColumn output : outputs) {
            out = out.add(newField(columns, output.column(), ColumnTypes.outputColumn(output.type())));
        }
        if (errorColumn != null) {
            out = out.add(newField(columns, errorColumn, DataTypes.StringType));
        }
        return out;
    }

    /**
     * Runs the model over {@code dataset}'s rows, lazily like every Spark transformation.
     *
     * @throws IllegalArgumentException as {@link #transformSchema}, at once
     */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = transformSchema(dataset.schema());
        List<String> columns = Arrays.asList(dataset.schema().fieldNames());
        int[] indexes = new int[numericInputs.size() + (textColumn == null ? 0 : 1)];
        for (int k = 0; k < numericInputs.size(); k++) {
            indexes[k] = index(columns, numericInputs.get(k).column());
        }
        if (textColumn != null) {
            indexes[indexes.length - 1] = index(columns, textColumn.column());
        }
        InferencePlan plan = plan(dataset.sparkSession().sparkContext(), indexes, errorColumn != null);
        return dataset.toDF().mapPartitions(new PartitionInference(plan), Encoders.row(schema));
    }

    /**
     * Registers this model as the SQL function {@code name}, taking the input columns as
     * arguments in the order they were mapped (numeric inputs, then the text column) and
     * returning the output array, or a struct of the output columns when there are several.
     * SQL calls it row by row, one ONNX Runtime run per row on the executor's shared model;
     * use {@link #transform} to batch rows. A bad row fails the query.
     *
     * @throws IllegalArgumentException if the model takes more than three input columns
     */
    public void registerFunction(SparkSession spark, String name) {
        int arity = numericInputs.size() + (textColumn == null ? 0 : 1);
        int[] indexes = new int[arity];
        Arrays.setAll(indexes, i -> i);
        SqlFunction function = new SqlFunction(name, plan(spark.sparkContext(), indexes, false));
        DataType returns = outputs.size() == 1 ? ColumnTypes.outputColumn(outputs.get(0).type()) : outputStruct();
        switch (arity) {
            case 1 -> spark.udf().register(name, (UDF1<?, ?>) function, returns);
            case 2 -> spark.udf().register(name, (UDF2<?, ?, ?>) function, returns);
            case 3 -> spark.udf().register(name, (UDF3<?, ?, ?, ?>) function, returns);
            default -> throw new IllegalArgumentException("SQL function '" + name + "' would take " + arity
                    + " input columns; a Tern SQL function takes 1 to 3");
        }
    }

    @Override
    public TernModel copy(ParamMap extra) {
        return this;
    }

    @Override
    public String toString() {
        return "TernModel(" + uid + ", " + files.model() + ", inputs " + numericInputs
                + (textColumn == null ? "" : ", text column '" + textColumn.column() + "'") + ")";
    }

    private InferencePlan plan(SparkContext context, int[] indexes, boolean collectErrors) {
        ModelFiles.Shipped shipped = files.ship(JavaSparkContext.fromSparkContext(context));
        TextInput text = textColumn == null ? null : textColumn.bind(shipped.tokenizer());
        return new InferencePlan(shipped.model(), numericInputs, text, indexes, outputs, rowsPerRun, threadsPerTask,
                collectErrors);
    }

    private StructType outputStruct() {
        List<StructField> fields = new ArrayList<>();
        for (OutputColumn output : outputs) {
            fields.add(DataTypes.createStructField(output.column(), ColumnTypes.outputColumn(output.type()), false));
        }
        return DataTypes.createStructType(fields);
    }

    private static int index(List<String> columns, String column) {
        int index = columns.indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException("no column '" + column + "' in the data set's columns " + columns);
        }
        return index;
    }

    private StructField newField(List<String> columns, String column, DataType type) {
        if (columns.contains(column)) {
            throw new IllegalArgumentException("output column '" + column + "' is already a column of " + columns);
        }
        return DataTypes.createStructField(column, type, errorColumn != null);
    }

    /**
     * Builds a {@link TernModel}. Needs the model, at least one input and one output; every
     * model input must be fed. {@link #build()} reads the model's signature (the file is
     * memory-mapped, its weights not copied) and checks the mapping against it.
     */
    public static final class Builder {
        private Path modelFile;
        private byte[] modelBytes;
        private final Map<String, String> inputs = new LinkedHashMap<>();
        private String textColumn;
        private Path tokenizerFile;
        private byte[] tokenizerBytes;
        private int maxTokens;
        private final Map<String, String> outputs = new LinkedHashMap<>();
        private final Set<String> pooled = new HashSet<>();
        private int rowsPerRun = 64;
        private int threadsPerTask = 1;
        private String errorColumn;

        private Builder() {
        }

        /** The model file; the driver and every executor must be able to read it at this path. */
        public Builder modelFile(Path file) {
            this.modelFile = Objects.requireNonNull(file, "file");
            this.modelBytes = null;
            return this;
        }

        /** The model's bytes (not copied: do not change them), broadcast to executors once. */
        public Builder modelBytes(byte[] bytes) {
            this.modelBytes = Objects.requireNonNull(bytes, "bytes");
            this.modelFile = null;
            return this;
        }

        /** Feeds the array or vector column {@code column} to the model input {@code modelInput}. */
        public Builder input(String column, String modelInput) {
            inputs.put(Objects.requireNonNull(modelInput, "modelInput"), Objects.requireNonNull(column, "column"));
            return this;
        }

        /**
         * Feeds the string column {@code column} to an encoder through the Hugging Face tokenizer
         * {@code tokenizerJson} (readable at this path on the driver and every executor), texts
         * cut at {@code maxTokens} tokens: it fills whichever of input_ids, attention_mask and
         * token_type_ids the model takes.
         */
        public Builder textInput(String column, Path tokenizerJson, int maxTokens) {
            this.tokenizerFile = Objects.requireNonNull(tokenizerJson, "tokenizerJson");
            this.tokenizerBytes = null;
            return text(column, maxTokens);
        }

        /** {@link #textInput(String, Path, int)} with the tokenizer definition's bytes. */
        public Builder textInput(String column, byte[] tokenizerJson, int maxTokens) {
            this.tokenizerBytes = Objects.requireNonNull(tokenizerJson, "tokenizerJson");
            this.tokenizerFile = null;
            return text(column, maxTokens);
        }

        /** Writes the model output {@code modelOutput} to the new array column {@code column}. */
        public Builder output(String modelOutput, String column) {
            outputs.put(Objects.requireNonNull(modelOutput, "modelOutput"), Objects.requireNonNull(column, "column"));
            pooled.remove(modelOutput);
            return this;
        }

        /**
         * Writes the mean over unpadded tokens of the token states {@code modelOutput}
         * ({@code [batch, tokens, hidden]}, float) to {@code column}: the sentence embedding of
         * a text input. Needs {@link #textInput}.
         */
        public Builder meanPooledOutput(String modelOutput, String column) {
            output(modelOutput, column);
            pooled.add(modelOutput);
            return this;
        }

        /** Rows per ONNX Runtime run (default 64). @throws IllegalArgumentException below 1 */
        public Builder rowsPerRun(int rows) {
            this.rowsPerRun = atLeastOne("rowsPerRun", rows);
            return this;
        }

        /** ONNX Runtime threads per run, so per task (default 1, for one task per core). @throws IllegalArgumentException below 1 */
        public Builder threadsPerTask(int threads) {
            this.threadsPerTask = atLeastOne("threadsPerTask", threads);
            return this;
        }

        /**
         * Instead of failing the task, a bad row gets nulls in the output columns and the reason
         * in the new string column {@code column} (null for good rows).
         */
        public Builder errorColumn(String column) {
            this.errorColumn = Objects.requireNonNull(column, "column");
            return this;
        }

        /**
         * @throws IllegalArgumentException if the model, inputs or outputs are missing, a name is
         *     not one of the model's inputs or outputs, a model input is fed twice or not at all,
         *     a column is written twice, or an input's type or shape cannot come from a column
         * @throws java.io.UncheckedIOException if the model file cannot be read
         */
        public TernModel build() {
            if (modelFile == null && modelBytes == null) {
                throw new IllegalArgumentException("no model: call modelFile or modelBytes");
            }
            if (inputs.isEmpty() && textColumn == null) {
                throw new IllegalArgumentException("no input: call input or textInput");
            }
            if (outputs.isEmpty()) {
                throw new IllegalArgumentException("no output: call output or meanPooledOutput");
            }
            ModelSignature signature = modelFile != null ? ModelSignature.of(modelFile) : ModelSignature.of(modelBytes);
            Set<String> fed = new HashSet<>();
            List<NumericInput> numeric = new ArrayList<>();
            for (Map.Entry<String, String> input : inputs.entrySet()) {
                ValueType.TensorType type = signature.input(input.getKey());
                numeric.add(NumericInput.of(input.getValue(), input.getKey(), type.elementType(), type.shape()));
                fed.add(input.getKey());
            }
            TextColumn text = textColumn == null ? null : textColumn(signature, fed);
            Set<String> unfed = new LinkedHashSet<>(signature.inputs().keySet());
            unfed.removeAll(fed);
            if (!unfed.isEmpty()) {
                throw new IllegalArgumentException(signature.source() + ": model inputs " + unfed + " are not fed;"
                        + " map a column to each");
            }
            List<OutputColumn> outputColumns = new ArrayList<>();
            Set<String> columns = new HashSet<>();
            for (Map.Entry<String, String> output : outputs.entrySet()) {
                ValueType.TensorType type = signature.output(output.getKey());
                boolean mean = pooled.contains(output.getKey());
                if (mean && (text == null || !type.shape().isRankKnown() || type.shape().rank() != 3)) {
                    throw new IllegalArgumentException(signature.source() + ": mean pooling of output '"
                            + output.getKey() + "' needs a text input and token states [batch, tokens, hidden],"
                            + " found " + (text == null ? "no text input" : "shape " + type.shape()));
                }
                requireNew(columns, output.getValue());
                outputColumns.add(new OutputColumn(output.getKey(), output.getValue(), type.elementType(), mean));
            }
            if (errorColumn != null) {
                requireNew(columns, errorColumn);
            }
            return new TernModel(new ModelFiles(modelFile, modelBytes, tokenizerFile, tokenizerBytes), numeric, text,
                    outputColumns, rowsPerRun, threadsPerTask, errorColumn);
        }

        private Builder text(String column, int maxTokens) {
            if (maxTokens < 2) {
                throw new IllegalArgumentException("maxTokens must leave room for the special tokens (>= 2), found "
                        + maxTokens);
            }
            this.textColumn = Objects.requireNonNull(column, "column");
            this.maxTokens = maxTokens;
            return this;
        }

        private TextColumn textColumn(ModelSignature signature, Set<String> fed) {
            signature.input(TextInput.TOKEN_INPUTS.get(0));
            Set<String> tokenInputs = new LinkedHashSet<>();
            for (String name : TextInput.TOKEN_INPUTS) {
                if (signature.inputs().containsKey(name)) {
                    if (!fed.add(name)) {
                        throw new IllegalArgumentException(signature.source() + ": model input '" + name
                                + "' is fed by the text column '" + textColumn + "' and by a column mapping");
                    }
                    tokenInputs.add(name);
                }
            }
            return new TextColumn(textColumn, maxTokens, tokenInputs);
        }

        private static void requireNew(Set<String> columns, String column) {
            if (!columns.add(column)) {
                throw new IllegalArgumentException("column '" + column + "' is written twice");
            }
        }

        private static int atLeastOne(String what, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(what + " must be at least 1, found " + value);
            }
            return value;
        }
    }
}
