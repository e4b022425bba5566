package dev.tern.spark.internal;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;

/**
 * A {@link dev.tern.spark.TernModel} as a Spark SQL function of its input columns (one to
 * three, in the order the model's inputs were mapped), returning its one output column's array
 * or, for several outputs, a struct of them. Spark calls it row by row, so each call is one
 * ONNX Runtime run on this JVM's shared compiled model; the Transformer batches, SQL does not.
 * A bad row fails the query.
 */
public final class SqlFunction implements UDF1<Object, Object>, UDF2<Object, Object, Object>,
        UDF3<Object, Object, Object, Object> {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final InferencePlan plan;

    public SqlFunction(String name, InferencePlan plan) {
        this.name = name;
        this.plan = plan;
    }

    @Override
    public Object call(Object a) {
        return apply(a);
    }

    @Override
    public Object call(Object a, Object b) {
        return apply(a, b);
    }

    @Override
    public Object call(Object a, Object b, Object c) {
        return apply(a, b, c);
    }

    private Object apply(Object... arguments) {
        BatchRunner runner = new BatchRunner(plan, ExecutorCache.model(plan.model(), plan.threadsPerTask()));
        RowResult result = runner.run(List.of(RowFactory.create(arguments)), i -> "a call of SQL function '" + name + "'")[0];
        Object[] outputs = result.outputs();
        return outputs.length == 1 ? outputs[0] : RowFactory.create(outputs);
    }
}
