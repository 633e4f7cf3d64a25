// Loads YAML files with SnakeYAML's safe constructor, as a Java tool would, and writes each as JSON for
// publish/yaml/compare.py. A value JSON has no form of (a Date, a non-string key) is written as
// {"$non-json": "<class>: <value>"}, and a file it refuses as {"$unreadable": "<error>"}, so that the
// comparison names it rather than this program guessing.
package yamlcheck;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

public final class YamlLoad {
    public static void main(String[] args) throws IOException {
        if (args.length == 0 || args.length % 2 != 0) {
            System.err.println("usage: YamlLoad IN.yaml OUT.json [IN.yaml OUT.json ...]");
            System.exit(2);
        }
        for (int i = 0; i < args.length; i += 2) {
            Object value;
            try (Reader in = Files.newBufferedReader(Path.of(args[i]), StandardCharsets.UTF_8)) {
                value = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            } catch (RuntimeException e) {
                // A file the reader refuses is a finding of the comparison, beside the other files and readers.
                value = Map.of("$unreadable", String.valueOf(e.getMessage()));
            }
            StringBuilder out = new StringBuilder();
            write(value, out);
            try (Writer file = Files.newBufferedWriter(Path.of(args[i + 1]), StandardCharsets.UTF_8)) {
                file.write(out.append('\n').toString());
            }
        }
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(s, out);
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof java.math.BigInteger) {
            out.append(value);
        } else if (value instanceof Double d && !d.isNaN() && !d.isInfinite()) {
            out.append(d);
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) out.append(',');
                write(list.get(i), out);
            }
            out.append(']');
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) out.append(',');
                first = false;
                Object key = entry.getKey();
                string(key instanceof String s ? s : "$non-json " + describe(key), out);
                out.append(':');
                write(entry.getValue(), out);
            }
            out.append('}');
        } else {
            out.append("{\"$non-json\":");
            string(describe(value), out);
            out.append('}');
        }
    }

    private static String describe(Object value) {
        return (value == null ? "null" : value.getClass().getName()) + ": " + value;
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }
}
