package dev.tern.cli.internal;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.ir.AtomicFiles;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tern sample GENERATOR --count N [--seed S] [--columns C] --out samples.png}: feeds a
 * generator standard normal noise and draws what it makes as a PNG grid.
 */
@Command(name = "sample",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Draw samples of a generator as a PNG grid of images: a GAN's generator (tern finetune --task gan --out) "
                    + "or a VAE's decoder (--decoder-out). Its first input gets standard normal noise [count, latent]; "
                    + "its first output is read as images: [batch, H, W], [batch, 1 or 3, H, W], or [batch, N] with N a "
                    + "square (64 values are 8x8) unless --image-shape says. Grey levels run from the lowest to the "
                    + "highest value of all the samples."})
public final class SampleCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "GENERATOR", description = "The generator's .onnx model.")
    private Path generator;

    @Option(names = "--count", paramLabel = "N", description = "Samples to draw (default: 64).")
    private int count = 64;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the noise (default: 0); the same seed draws the same grid.")
    private long seed;

    @Option(names = "--columns", paramLabel = "C", description = "Images per row (default: 8).")
    private int columns = 8;

    @Option(names = "--zoom", paramLabel = "Z", description = "Pixels per value along each side (default: 4).")
    private int zoom = 4;

    @Option(names = "--image-shape", paramLabel = "HxW", description = "The shape of one image, as 8x8 or 3x32x32.")
    private String imageShape;

    @Option(names = "--out", required = true, paramLabel = "samples.png", description = "Where to write the PNG.")
    private Path out;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        requireAtLeast("--count", count);
        requireAtLeast("--columns", columns);
        requireAtLeast("--zoom", zoom);
        InputFiles.requireReadableFile(generator);
        Model model = ModelFiles.read(generator);
        Value noiseInput = model.graph().inputs().get(0);
        Value output = model.graph().outputs().get(0);
        ImageShape shape = imageShape != null ? ImageShape.parse(imageShape)
                : ImageShape.of(generator, output);
        float[] samples;
        try (Runtime runtime = Runtime.create(); CompiledModel compiled = runtime.compile(model)) {
            samples = compiled.run(Map.of(noiseInput.name(), noise(noiseInput))).get(output.name()).toFloatArray();
        }
        if (samples.length != count * shape.size()) {
            throw CliFailure.usage(generator, "output '" + output.name() + "' gave " + samples.length + " values for "
                    + count + " samples, not " + shape.size() + " per image of " + shape);
        }
        BufferedImage grid = new SampleGrid(shape, Math.min(columns, count), zoom).draw(samples);
        OutputFiles.createParentDirectories(out);
        try {
            AtomicFiles.write(out, stream -> ImageIO.write(grid, "png", stream));
        } catch (IOException e) {
            throw CliFailure.inFile(out, e);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println("wrote " + out + " (" + count + " samples of " + shape.height() + "x" + shape.width()
                + (shape.channels() == 3 ? " RGB" : "") + ", " + grid.getWidth() + "x" + grid.getHeight() + " pixels)");
        stdout.flush();
        return ExitCode.OK;
    }

    /** Standard normal noise [count, latent] for {@code input}, which must be float [batch, latent]. */
    private Tensor noise(Value input) {
        if (!(input.type() instanceof ValueType.TensorType tensor) || tensor.elementType() != ElementType.FLOAT
                || !tensor.shape().isRankKnown() || tensor.shape().rank() != 2
                || !(tensor.shape().dim(1) instanceof Dim.Known latent)) {
            throw CliFailure.usage(generator, "the first input '" + input.name() + "' is " + input.type()
                    + "; a generator takes float noise [batch, latent]");
        }
        int width = Math.toIntExact(latent.size());
        Random random = new Random(seed);
        float[] values = new float[count * width];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return Tensor.ofFloats(input.name(), new long[] {count, width}, values);
    }

    private void requireAtLeast(String option, int value) {
        if (value < 1) {
            throw new ParameterException(spec.commandLine(), option + " must be at least 1, found " + value);
        }
    }
}
