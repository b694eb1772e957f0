package minibatch.model;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.Map;
import java.util.Set;
import minibatch.model.onnx.OnnxIr.ModelProto;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One run of an exported model in ONNX Runtime, after checking the interface every export shares:
 * input {@code features} float32 {@code [N, inputs]}, outputs {@code probability} float32
 * {@code [N, classes]} and {@code label} int64 {@code [N]}.
 *
 * @param probability {@code [rows][classes]}
 * @param label       {@code [rows]}
 */
record OnnxRun(float[][] probability, long[] label) {
    static OnnxRun of(ModelProto model, float[][] features, int classes) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model.toByteArray(), new OrtSession.SessionOptions())) {
            assertEquals(Set.of("features"), session.getInputNames());
            assertEquals(Set.of("probability", "label"), session.getOutputNames());
            TensorInfo in = (TensorInfo) session.getInputInfo().get("features").getInfo();
            assertEquals(OnnxJavaType.FLOAT, in.type);
            assertArrayEquals(new long[] {-1, features[0].length}, in.getShape());
            TensorInfo probability = (TensorInfo) session.getOutputInfo().get("probability").getInfo();
            assertEquals(OnnxJavaType.FLOAT, probability.type);
            assertArrayEquals(new long[] {-1, classes}, probability.getShape());
            TensorInfo label = (TensorInfo) session.getOutputInfo().get("label").getInfo();
            assertEquals(OnnxJavaType.INT64, label.type);
            assertArrayEquals(new long[] {-1}, label.getShape());
            try (OnnxTensor input = OnnxTensor.createTensor(env, features);
                    OrtSession.Result result = session.run(Map.of("features", input))) {
                return new OnnxRun((float[][]) result.get("probability").orElseThrow().getValue(),
                        (long[]) result.get("label").orElseThrow().getValue());
            }
        }
    }
}
