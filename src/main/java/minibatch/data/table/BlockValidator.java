package minibatch.data.table;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import minibatch.UserError;
import minibatch.data.LabeledImage;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

/**
 * The validation pass over one partition of a table-format image set: decodes every row and sums
 * up each file block ({@link BlockStats}). A bad row is reported as data, not thrown, so the
 * driver prints one clear error instead of a failed task's stack trace.
 */
final class BlockValidator implements FlatMapFunction<Iterator<Row>, BlockStats> {
    private static final long serialVersionUID = 1L;

    private final RowDecoder decoder;

    BlockValidator(RowDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public Iterator<BlockStats> call(Iterator<Row> rows) {
        Map<String, Block> blocks = new LinkedHashMap<>();
        try {
            validate(rows, blocks);
        } catch (Exception e) { // Spark's readers throw checked exceptions undeclared
            // a file Spark cannot read (e.g. truncated gzip): reported like a bad row, not as a failed task
            Block unreadable = new Block("", -1);
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            unreadable.error = UserError.firstLine(e) + (root == e ? "" : " (" + UserError.firstLine(root) + ")");
            blocks.put(BlockStats.key("", -1), unreadable);
        }
        return blocks.values().stream()
                .map(b -> new BlockStats(b.file, b.start, b.rows, b.maxLabel, b.minWidth, b.maxWidth,
                        b.minHeight, b.maxHeight, b.error, b.firstAt))
                .iterator();
    }

    private void validate(Iterator<Row> rows, Map<String, Block> blocks) {
        while (rows.hasNext()) {
            Row row = rows.next();
            String file = row.getString(row.length() - 2);
            long start = row.getLong(row.length() - 1);
            Block b = blocks.computeIfAbsent(BlockStats.key(file, start), k -> new Block(file, start));
            if (b.error != null || decoder.skip(row)) {
                continue;
            }
            try {
                RowDecoder.WithHeight decoded = decoder.decodeWithHeight(row);
                LabeledImage image = decoded.image();
                if (image.label() >= 0) { // -1: an unlabelled row
                    b.firstAt.putIfAbsent(image.label(), b.rows);
                }
                b.rows++;
                b.maxLabel = Math.max(b.maxLabel, image.label());
                b.minWidth = Math.min(b.minWidth, image.pixels().length);
                b.maxWidth = Math.max(b.maxWidth, image.pixels().length);
                b.minHeight = Math.min(b.minHeight, decoded.height());
                b.maxHeight = Math.max(b.maxHeight, decoded.height());
            } catch (RowDecoder.BadRow e) {
                b.error = UserError.firstLine(e);
            }
        }
    }

    private static final class Block {
        final String file;
        final long start;
        long rows;
        int maxLabel = -1;
        int minWidth = Integer.MAX_VALUE;
        int maxWidth;
        int minHeight = Integer.MAX_VALUE;
        int maxHeight;
        String error;
        final java.util.HashMap<Integer, Long> firstAt = new java.util.HashMap<>();

        Block(String file, long start) {
            this.file = file;
            this.start = start;
        }
    }
}
