package minibatch.data.table;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import minibatch.UserError;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * What the first line of a CSV set says: a header when its first field is not a number, the label
 * column (the field named {@code label} in a header, else the first), and the column count. A
 * header's other fields must name pixels ({@link PixelColumnNames}); without a header every column
 * but the first is a pixel.
 *
 * @param line        the first non-blank line of the first data file (by name), without a byte-order mark
 * @param labelColumn the label's column, -1 for a header without one
 */
record CsvHeader(String line, boolean header, int labelColumn, int columns) {
    /**
     * Reads the first line at {@code path} (a file, or a folder of files, each raw or compressed).
     *
     * @throws UserError when there is no line, or a header names a column that is neither the label nor a pixel
     */
    static CsvHeader sniff(Path path, Configuration conf) {
        String first = firstLine(path, conf);
        if (first == null) {
            throw new UserError(path + ": holds no rows");
        }
        first = CsvLineDecoder.withoutBom(first);
        String[] fields = first.split(",", -1);
        boolean header = !isNumber(fields[0]);
        int label = 0;
        if (header) {
            label = -1;
            for (int i = 0; i < fields.length; i++) {
                if (unquote(fields[i]).equalsIgnoreCase("label")) {
                    label = i;
                }
            }
            List<String> names = new ArrayList<>();
            List<String> places = new ArrayList<>();
            for (int i = 0; i < fields.length; i++) {
                if (i != label) {
                    names.add(unquote(fields[i]));
                    places.add("column " + (i + 1) + " of the header");
                }
            }
            PixelColumnNames.check(path.toString(), names, places);
        }
        return new CsvHeader(first, header, label, fields.length);
    }

    private static boolean isNumber(String field) {
        try {
            Double.parseDouble(unquote(field));
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String unquote(String field) {
        String f = field.strip();
        return f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"") ? f.substring(1, f.length() - 1).strip() : f;
    }

    /** The first non-blank line of the first data file (by name) at {@code path}, or null. */
    private static String firstLine(Path path, Configuration conf) {
        try {
            FileSystem fs = path.getFileSystem(conf);
            List<FileStatus> files = new ArrayList<>();
            if (fs.getFileStatus(path).isDirectory()) {
                Arrays.stream(fs.listStatus(path)).filter(s -> s.isFile() && TableFiles.isDataFile(s.getPath()))
                        .forEach(files::add);
                files.sort((a, b) -> a.getPath().toString().compareTo(b.getPath().toString()));
            } else {
                files.add(fs.getFileStatus(path));
            }
            CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
            for (FileStatus file : files) {
                CompressionCodec codec = codecs.getCodec(file.getPath());
                InputStream raw = fs.open(file.getPath());
                try (BufferedReader in = new BufferedReader(new InputStreamReader(
                        codec == null ? raw : codec.createInputStream(raw), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        if (!line.isBlank()) {
                            return line;
                        }
                    }
                }
            }
            return null;
        } catch (IOException e) {
            throw new UserError(path + ": cannot read: " + UserError.firstLine(e), e);
        }
    }
}
