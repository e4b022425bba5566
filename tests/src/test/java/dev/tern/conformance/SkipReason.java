package dev.tern.conformance;

/**
 * Why a backend case is skipped: a {@link Category} saying where the obstacle lies, and a
 * detail precise enough that a case skipping for a different reason reads differently (the
 * op and opset ORT has no kernel for, the output and op whose result differs). Both go into
 * the committed list of skips; {@code evidence} (ORT's full message, the first differing
 * element) is printed but not committed, since numbers may vary from one CPU to another.
 */
record SkipReason(Category category, String detail, String evidence) {

    /** Where the obstacle lies. None of them is Tern's: Tern's own problems fail the case. */
    enum Category {
        /** The case's data do not fit its own model (bfloat16 values stored as UINT16, say). */
        TEST_DATA("the case's data do not match the types its model declares"),
        /** The model draws random numbers: no run can reproduce its expected outputs. */
        RANDOM("the model draws random numbers, so no run can reproduce its expected outputs"),
        /** ONNX Runtime's Java API cannot create an input or read an output of this kind. */
        JAVA_API("ONNX Runtime's Java API cannot create an input or read an output"),
        /** ONNX Runtime refuses the original model when creating the session. */
        ORT_LOAD("ONNX Runtime cannot load the original model"),
        /** ONNX Runtime loads the original model but fails while running it. */
        ORT_RUN("ONNX Runtime fails running the original model"),
        /** ONNX Runtime runs the original model on independently confirmed data and gets another result. */
        ORT_RESULT("ONNX Runtime's result on the original model differs from the expected output");

        private final String meaning;

        Category(String meaning) {
            this.meaning = meaning;
        }

        String meaning() {
            return meaning;
        }
    }

    static SkipReason of(Category category, String detail) {
        return new SkipReason(category, detail, detail);
    }

    /** The committed form: category and detail. */
    String committed() {
        return category + " | " + detail;
    }
}
