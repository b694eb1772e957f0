package minibatch.model;

import java.util.List;
import minibatch.nn.NetworkShape;

/**
 * A trained network: its shape, flat parameters ({@code [shape.parameterCount()]}) and the name of
 * each class ({@code [shape.classes()]}; empty where the data only number them).
 */
public record SavedModel(NetworkShape shape, double[] params, List<String> classNames) {
    public SavedModel {
        if (params.length != shape.parameterCount()) {
            throw new IllegalArgumentException("expected " + shape.parameterCount() + " parameters, got " + params.length);
        }
        classNames = List.copyOf(classNames);
        if (!classNames.isEmpty() && classNames.size() != shape.classes()) {
            throw new IllegalArgumentException("expected " + shape.classes() + " class names, got " + classNames.size());
        }
    }

    /** A network whose classes have no names. */
    public SavedModel(NetworkShape shape, double[] params) {
        this(shape, params, List.of());
    }

    /** Class {@code k}'s name, or its index where the classes have no names. */
    public String className(int k) {
        return classNames.isEmpty() ? Integer.toString(k) : classNames.get(k);
    }
}
