package dev.catalogclassifier.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * LangChain4j's quantized all-MiniLM-L6-v2, the same model file, tokenizer and pooling, in an ONNX Runtime session
 * that runs each call on the calling thread alone.
 * <p>
 * Why not {@link AllMiniLmL6V2QuantizedEmbeddingModel} itself: its session takes ONNX Runtime's defaults, a pool of
 * intra-op threads per core that spin while they wait for work. Our own pool already runs one embedding per core
 * ({@code FairPool}), so those threads only fought ours for the same cores and burnt CPU spinning, where no profiler
 * of the JVM sees it. Alone on its thread, an item costs about 40 % less CPU (docs/benchmarks.md, "The test command", what changed).
 * The vectors are the same: the threads only split each matrix product, they do not change its sums.
 */
final class MiniLm extends AbstractInProcessEmbeddingModel {

    private static final String MODEL = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";

    private final OnnxBertBiEncoder encoder;

    private MiniLm(OnnxBertBiEncoder encoder) {
        // on the calling thread: LangChain4j's default spreads embedAll over a pool of its own, which would bypass
        // ours and make classifier.local.threads a fiction
        super(Runnable::run);
        this.encoder = encoder;
    }

    /** Loads the model from LangChain4j's artifact: a 23 MB file, read and optimised in about a second. */
    static MiniLm load() {
        ClassLoader loader = AllMiniLmL6V2QuantizedEmbeddingModel.class.getClassLoader();
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (InputStream model = loader.getResourceAsStream(MODEL);
                InputStream tokenizer = loader.getResourceAsStream(TOKENIZER);
                OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (model == null || tokenizer == null) {
                throw new IllegalStateException("the embedding model is missing from the class path: " + MODEL);
            }
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            OrtSession session = environment.createSession(model.readAllBytes(), options);
            return new MiniLm(new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load " + MODEL, e);
        }
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }
}
