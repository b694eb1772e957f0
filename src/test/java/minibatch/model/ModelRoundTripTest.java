package minibatch.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import minibatch.UserError;
import minibatch.nn.Activation;
import minibatch.nn.Initializer;
import minibatch.nn.NetworkShape;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelRoundTripTest {
    private static final Configuration CONF = new Configuration();

    @TempDir
    Path dir;

    private SavedModel model() {
        NetworkShape shape = NetworkShape.of(12, new int[] {5, 4}, 3, Activation.RELU);
        return new SavedModel(shape, Initializer.standardNormal(shape, new SplittableRandom(4)));
    }

    private org.apache.hadoop.fs.Path modelDir() throws IOException {
        var p = new org.apache.hadoop.fs.Path(dir.resolve("model").toUri());
        ModelWriter.write(model(), p, CONF);
        return p;
    }

    @Test
    void writesDataFilesAndReadsThemBack() throws IOException {
        SavedModel read = ModelReader.read(modelDir(), CONF);
        assertEquals(model().shape(), read.shape());
        assertArrayEquals(model().params(), read.params());
        byte[] weights = Files.readAllBytes(dir.resolve("model/weights.bin"));
        assertEquals(model().params().length * 8, weights.length);
        // little-endian: the first parameter's low byte comes first
        long bits = Double.doubleToRawLongBits(model().params()[0]);
        assertEquals((byte) bits, weights[0]);
        String json = Files.readString(dir.resolve("model/model.json"));
        assertTrue(json.contains("\"format_version\" : 1"), json); // a dense model: earlier builds read it
        assertTrue(json.contains(ParameterDigest.sha256(model().params())), json);
    }

    @Test
    void alteredWeightsAreRejected() throws IOException {
        var p = modelDir();
        Path w = dir.resolve("model/weights.bin");
        byte[] bytes = Files.readAllBytes(w);
        bytes[17] ^= 1;
        Files.write(w, bytes);
        Files.deleteIfExists(dir.resolve("model/.weights.bin.crc"));
        UserError e = assertThrows(UserError.class, () -> ModelReader.read(p, CONF));
        assertTrue(e.getMessage().contains("SHA-256 does not match"), e.getMessage());
    }

    @Test
    void otherFormatVersionIsRejected() throws IOException {
        var p = modelDir();
        Path meta = dir.resolve("model/model.json");
        Files.writeString(meta, Files.readString(meta).replace("\"format_version\" : 1", "\"format_version\" : 99"));
        Files.deleteIfExists(dir.resolve("model/.model.json.crc"));
        UserError e = assertThrows(UserError.class, () -> ModelReader.read(p, CONF));
        assertTrue(e.getMessage().contains("model format version 99 is not supported (this build reads 1 and 2)"),
                e.getMessage());
    }

    /** A dense model declared as format 2 (as a layer stack's is) loads as well. */
    @Test
    void aDenseModelOfFormatTwoLoadsToo() throws IOException {
        var p = modelDir();
        Path meta = dir.resolve("model/model.json");
        Files.writeString(meta, Files.readString(meta).replace("\"format_version\" : 1", "\"format_version\" : 2"));
        Files.deleteIfExists(dir.resolve("model/.model.json.crc"));
        SavedModel read = ModelReader.read(p, CONF);
        assertEquals(model().shape(), read.shape());
        assertArrayEquals(model().params(), read.params());
    }

    /** A layer stack's model keeps its layers and input shape; a declared spec that does not parse is one line. */
    @Test
    void aLayerStackRoundTripsAndABadSpecIsOneLine() throws IOException {
        var network = minibatch.nn.layers.LayerNetwork.of(new minibatch.nn.layers.ImageShape(9, 7, 3),
                minibatch.nn.layers.LayerSpec.parse("conv3x3x4s2p1,relu,maxpool2,dense6,tanh,dropout0.5"), 5);
        double[] params = minibatch.nn.Initializer.HE.initialize(network, new java.util.SplittableRandom(4));
        var p = new org.apache.hadoop.fs.Path(dir.resolve("stack").toUri());
        ModelWriter.write(new SavedModel(network, params, java.util.List.of(), 3), p, CONF);
        SavedModel read = ModelReader.read(p, CONF);
        assertEquals(network, read.shape());
        assertArrayEquals(params, read.params());
        assertEquals(3, read.inputChannels());
        Path meta = dir.resolve("stack/model.json");
        assertTrue(Files.readString(meta).contains("\"format_version\" : 2"));
        String written = Files.readString(meta);
        Files.writeString(meta, written.replace("\"input_channels\" : 3", "\"input_channels\" : 1"));
        Files.deleteIfExists(dir.resolve("stack/.model.json.crc"));
        UserError channels = assertThrows(UserError.class, () -> ModelReader.read(p, CONF));
        assertTrue(channels.getMessage().endsWith("model.json: input_channels 1 disagrees with input_shape 9x7x3"),
                channels.getMessage());
        Files.writeString(meta, written);
        Files.writeString(meta, Files.readString(meta).replace("conv3x3x4s2p1", "conv3x3x4q2"));
        Files.deleteIfExists(dir.resolve("stack/.model.json.crc"));
        UserError e = assertThrows(UserError.class, () -> ModelReader.read(p, CONF));
        assertTrue(e.getMessage().contains("model.json: layers: layer 1 'conv3x3x4q2': expected"), e.getMessage());
    }

    /** Would record that it ran if anything Java-deserialized it. */
    static final class Payload implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        static volatile boolean ran;

        private void readObject(java.io.ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            ran = true;
        }
    }

    @Test
    void aCraftedModelWithASerializedPayloadIsRejectedAndRunsNoCode() throws IOException {
        var p = modelDir();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(new Payload());
        }
        Files.write(dir.resolve("model/weights.bin"), bytes.toByteArray());
        Files.deleteIfExists(dir.resolve("model/.weights.bin.crc"));
        UserError e = assertThrows(UserError.class, () -> ModelReader.read(p, CONF));
        assertTrue(e.getMessage().contains("weights.bin: holds " + bytes.size() + " bytes"), e.getMessage());
        assertFalse(Payload.ran, "a model file was deserialized as Java objects");

        // even with the sizes and the checksum made to match, the bytes are read as numbers, never as objects
        byte[] padded = java.util.Arrays.copyOf(bytes.toByteArray(), model().params().length * 8);
        Files.write(dir.resolve("model/weights.bin"), padded);
        Path meta = dir.resolve("model/model.json");
        Files.writeString(meta, Files.readString(meta).replaceFirst("\"weights_sha256\" : \"[0-9a-f]+\"",
                "\"weights_sha256\" : \"" + ParameterDigest.sha256(padded) + "\""));
        Files.deleteIfExists(dir.resolve("model/.weights.bin.crc"));
        Files.deleteIfExists(dir.resolve("model/.model.json.crc"));
        SavedModel read = ModelReader.read(p, CONF);
        assertEquals(model().params().length, read.params().length);
        assertFalse(Payload.ran, "a model file was deserialized as Java objects");
    }

    @Test
    void declaredSizesMustMatchTheWeightsFileBeforeAllocating() throws IOException {
        var p = modelDir();
        Path meta = dir.resolve("model/model.json");
        Files.writeString(meta, Files.readString(meta).replaceFirst("\\[ 12, 5, 4, 3 \\]", "[ 100000, 100000, 3 ]"));
        Files.deleteIfExists(dir.resolve("model/.model.json.crc"));
        UserError e = assertThrows(UserError.class, () -> ModelReader.read(p, CONF));
        assertTrue(e.getMessage().contains("more than the limit"), e.getMessage());
    }
}
