/**
 * Convolutional networks as a list of small layers over one flat parameter array: the spec users
 * type ({@link minibatch.nn.layers.LayerSpec}), the layers ({@link minibatch.nn.layers.Conv2d},
 * {@link minibatch.nn.layers.MaxPool2d}, {@link minibatch.nn.layers.Dense},
 * {@link minibatch.nn.layers.ActivationLayer}, {@link minibatch.nn.layers.Dropout}), the network's
 * shapes and parameter layout ({@link minibatch.nn.layers.LayerNetwork}) and its forward and backward
 * pass over a batch ({@link minibatch.nn.layers.LayerPass}). Rows are images stored channels last
 * (NHWC: {@code [H × W × C]} per row), as the data already store them. No Spark here; training does
 * not use this package yet.
 */
package minibatch.nn.layers;
