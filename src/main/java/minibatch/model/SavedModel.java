package minibatch.model;

import java.util.List;
import minibatch.nn.Network;

/**
 * A trained network: its shape (a dense {@code NetworkShape} or a layer stack), flat parameters ({@code [shape.parameterCount()]}), the name of each
 * class ({@code [shape.classes()]}; empty where the data only number them) and the values per pixel
 * of its inputs (1: gray; 3: R, G, B, channels last).
 */
public record SavedModel(Network shape, double[] params, List<String> classNames, int inputChannels) {
    public SavedModel {
        if (params.length != shape.parameterCount()) {
            throw new IllegalArgumentException("expected " + shape.parameterCount() + " parameters, got " + params.length);
        }
        classNames = List.copyOf(classNames);
        if (!classNames.isEmpty() && classNames.size() != shape.classes()) {
            throw new IllegalArgumentException("expected " + shape.classes() + " class names, got " + classNames.size());
        }
        if ((inputChannels != 1 && inputChannels != 3) || shape.inputs() % inputChannels != 0) {
            throw new IllegalArgumentException(inputChannels + " channels do not divide " + shape.inputs() + " inputs");
        }
    }

    /** A network of gray inputs whose classes have no names. */
    public SavedModel(Network shape, double[] params) {
        this(shape, params, List.of(), 1);
    }

    /** Class {@code k}'s name, or its index where the classes have no names. */
    public String className(int k) {
        return classNames.isEmpty() ? Integer.toString(k) : classNames.get(k);
    }
}
