package dev.ordo.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A compose file's YAML as Compose v2 reads it: YAML 1.2's core schema (so {@code 2222:22}, {@code yes} and
 * {@code on} are strings, as Compose's Go parser reads them, not YAML 1.1's base-60 number and booleans), anchors,
 * aliases and merge keys ({@code <<: *defaults}), Compose's {@code !reset} and {@code !override} tags, and where
 * each value stands (file, line, column) for messages. Aliases may be used as often as a file likes; what is
 * bounded is the size they expand to ({@link #MAX_VALUES}), so that a "billion laughs" document is one clear error
 * instead of an exhausted heap.
 *
 * <pre>{@code
 * YamlTree.Parsed p = YamlTree.parse(Path.of("compose.yaml"), text);
 * p.root();                                     // the document as a Jackson tree
 * p.where("/services/web/depends_on");          // "compose.yaml:12:5"
 * }</pre>
 */
public final class YamlTree {
    /** The most values (mappings, sequences and scalars) a document may expand to through its aliases. */
    public static final int MAX_VALUES = 1_000_000;
    /** Marks a value tagged {@code !reset}: the merge removes what it replaces. */
    public static final String RESET = "x-ordo-reset";
    /** Wraps a value tagged {@code !override}: the merge replaces instead of merging. */
    public static final String OVERRIDE = "x-ordo-override";

    private static final Pattern INT = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern OCT = Pattern.compile("0o[0-7]+");
    private static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F]+");
    private static final Pattern FLOAT = Pattern.compile(
            "[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Path file;
    private static final Pattern SEXAGESIMAL = Pattern.compile("[0-9]+(:[0-5]?[0-9])+");
    private final Map<String, Mark> marks = new HashMap<>();
    private final Set<String> base60 = new TreeSet<>();
    private final Map<Node, Integer> expanding = new IdentityHashMap<>();
    private int values;

    private YamlTree(Path file) {
        this.file = file;
    }

    /**
     * A parsed document: its tree, and where its values stand.
     *
     * @param file      the file
     * @param root      the (first) document, an object for a compose file (null for an empty one)
     * @param marks     the position of each value, by JSON pointer
     * @param base60    the pointers of unquoted values such as {@code 2222:22}, which YAML 1.1 parsers
     *                  (docker-compose 1.x) read as base-60 numbers
     * @param documents every document of the file, in order ({@code ---} separates them; Compose merges them as
     *                  it merges {@code -f} files); empty for an empty file
     */
    public record Parsed(Path file, JsonNode root, Map<String, Mark> marks, Set<String> base60,
                         List<JsonNode> documents) {
        public Parsed {
            documents = List.copyOf(documents);
        }

        /** A file of one document, {@code root}. */
        public Parsed(Path file, JsonNode root, Map<String, Mark> marks, Set<String> base60) {
            this(file, root, marks, base60, root == null ? List.of() : List.of(root));
        }

        /** {@code file:line:column} of the value at {@code pointer}, or of its closest ancestor that has one. */
        public String where(String pointer) {
            String p = pointer;
            while (true) {
                Mark m = marks.get(p);
                if (m != null) {
                    return file.getFileName() + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
                }
                if (p.isEmpty()) {
                    return file.getFileName().toString();
                }
                p = p.substring(0, Math.max(0, p.lastIndexOf('/')));
            }
        }
    }

    /**
     * Parses {@code text}, the content of {@code file}.
     *
     * @throws IllegalArgumentException naming the file, line and column of a syntax error, with the fix where a
     *                                  common one is known; or naming the limit a document's aliases exceed
     */
    public static Parsed parse(Path file, String text) {
        LoaderOptions options = new LoaderOptions();
        // Real compose files share settings through many aliases (Dify's has hundreds): the count is not the
        // danger, the expanded size is, and that is bounded while converting below.
        options.setMaxAliasesForCollections(Integer.MAX_VALUE);
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(64 * 1024 * 1024);
        options.setNestingDepthLimit(200);
        Yaml yaml = new Yaml(options);
        List<Node> nodes = new ArrayList<>();
        try {
            // several documents (---) are several layers, merged in order as Compose merges them
            yaml.composeAll(new StringReader(text)).forEach(nodes::add);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String at = m == null ? file.getFileName().toString()
                    : file.getFileName() + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
            throw new IllegalArgumentException(at + ": " + describe(e) + hint(e), e);
        } catch (YAMLException e) {
            throw new IllegalArgumentException(file.getFileName() + ": " + e.getMessage(), e);
        }
        YamlTree t = new YamlTree(file);
        List<JsonNode> documents = new ArrayList<>();
        for (Node node : nodes) {
            if (node != null) {
                documents.add(t.convert(node, ""));
            }
        }
        return new Parsed(file, documents.isEmpty() ? null : documents.get(0), Map.copyOf(t.marks),
                Set.copyOf(t.base60), documents);
    }

    private static String describe(MarkedYAMLException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        String context = e.getContext() == null ? "" : e.getContext();
        return (context.isEmpty() ? "" : context + ": ") + problem;
    }

    private static String hint(MarkedYAMLException e) {
        String p = String.valueOf(e.getProblem());
        if (p.contains("found duplicate key")) {
            return "; keep one of the two keys";
        }
        if (p.contains("found character '\\t") || p.contains("(TAB)")) {
            return "; YAML indents with spaces, not tabs";
        }
        if (p.contains("mapping values are not allowed here")) {
            return "; quote a value that contains ': ', or fix the indentation of the line before";
        }
        return "";
    }

    private JsonNode convert(Node node, String pointer) {
        if (++values > MAX_VALUES) {
            throw new IllegalArgumentException(file.getFileName() + ": the document expands to more than "
                    + String.format(Locale.ROOT, "%,d", MAX_VALUES) + " values through its aliases (an"
                    + " alias of an alias of ... is expanded each time it is used); share less through aliases");
        }
        marks.putIfAbsent(pointer, node.getStartMark());
        if (expanding.containsKey(node)) {
            throw new IllegalArgumentException(where(node) + ": an alias refers to a value that contains it; YAML"
                    + " documents cannot be recursive");
        }
        String tag = node.getTag().getValue();
        if ("!reset".equals(tag)) {
            return F.objectNode().put(RESET, true);
        }
        expanding.put(node, 1);
        try {
            JsonNode value = switch (node.getNodeId()) {
                case scalar -> {
                    ScalarNode sn = (ScalarNode) node;
                    if (sn.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN
                            && SEXAGESIMAL.matcher(sn.getValue()).matches()) {
                        base60.add(pointer);
                    }
                    yield scalar(sn);
                }
                case sequence -> sequence((SequenceNode) node, pointer);
                case mapping -> mapping((MappingNode) node, pointer);
                default -> F.nullNode();
            };
            if ("!override".equals(tag)) {
                ObjectNode o = F.objectNode();
                o.set(OVERRIDE, value);
                return o;
            }
            return value;
        } finally {
            expanding.remove(node);
        }
    }

    private String where(Node node) {
        Mark m = node.getStartMark();
        return file.getFileName() + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
    }

    private ArrayNode sequence(SequenceNode seq, String pointer) {
        ArrayNode a = F.arrayNode();
        List<Node> items = seq.getValue();
        for (int i = 0; i < items.size(); i++) {
            a.add(convert(items.get(i), pointer + "/" + i));
        }
        return a;
    }

    private ObjectNode mapping(MappingNode map, String pointer) {
        ObjectNode o = F.objectNode();
        ObjectNode merged = F.objectNode(); // from merge keys: explicit keys win, the first merged map wins
        for (NodeTuple t : map.getValue()) {
            Node k = t.getKeyNode();
            if (k instanceof ScalarNode sk && "<<".equals(sk.getValue()) && sk.getScalarStyle()
                    == DumperOptions.ScalarStyle.PLAIN) {
                Node v = t.getValueNode();
                List<Node> sources = v instanceof SequenceNode s ? s.getValue() : List.of(v);
                for (Node src : sources) {
                    if (!(src instanceof MappingNode)) {
                        throw new IllegalArgumentException(where(src) + ": a merge key (<<) takes a mapping or a list"
                                + " of mappings, e.g. <<: *defaults");
                    }
                    JsonNode m = convert(src, pointer);
                    m.fields().forEachRemaining(e -> {
                        if (!merged.has(e.getKey())) {
                            merged.set(e.getKey(), e.getValue());
                        }
                    });
                }
                continue;
            }
            String key = keyText(k, pointer);
            String child = pointer + "/" + key.replace("~", "~0").replace("/", "~1");
            marks.put(child, k.getStartMark());
            o.set(key, convert(t.getValueNode(), child));
        }
        merged.fields().forEachRemaining(e -> {
            if (!o.has(e.getKey())) {
                o.set(e.getKey(), e.getValue());
            }
        });
        return o;
    }

    private String keyText(Node k, String pointer) {
        if (k instanceof ScalarNode s) {
            if (s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN && !s.getTag().equals(Tag.STR)
                    && !scalar(s).isTextual() || s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN
                    && FLOAT.matcher(s.getValue()).matches()) {
                // Compose refuses a key YAML reads as a number, a boolean or null (compose-go's
                // convertToStringKeysRecursive): environment: {1: FOO} is not a variable named "1"
                String in = pointer.isEmpty() ? "at top level" : "in " + pointer.substring(1).replace('/', '.')
                        .replace("~1", "/").replace("~0", "~");
                throw new IllegalArgumentException(where(k) + ": non-string key " + in + ": " + s.getValue()
                        + " (quote it, '" + s.getValue() + "', to use it as a name)");
            }
            return s.getValue();
        }
        throw new IllegalArgumentException(where(k) + ": a mapping key must be a plain value, not a "
                + k.getNodeId() + "; quote it");
    }

    private static JsonNode scalar(ScalarNode s) {
        String v = s.getValue();
        Tag tag = s.getTag();
        if (s.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN || tag.equals(Tag.STR)) {
            return F.textNode(v);
        }
        if (!tag.isSecondary() || tag.equals(Tag.NULL) || tag.equals(Tag.BOOL) || tag.equals(Tag.INT)
                || tag.equals(Tag.FLOAT)) {
            // plain scalars: YAML 1.2's core schema, whatever SnakeYAML's 1.1 resolver guessed
            if (v.isEmpty() || v.equals("~") || v.equals("null") || v.equals("Null") || v.equals("NULL")) {
                return F.nullNode();
            }
            if (v.equals("true") || v.equals("True") || v.equals("TRUE")) {
                return F.booleanNode(true);
            }
            if (v.equals("false") || v.equals("False") || v.equals("FALSE")) {
                return F.booleanNode(false);
            }
            JsonNode n = integer(v);
            if (n != null) {
                return n;
            }
            if (FLOAT.matcher(v).matches()) {
                return F.textNode(v); // Compose prints a float as written; the text keeps it so
            }
        }
        return F.textNode(v);
    }

    private static JsonNode integer(String v) {
        BigInteger b;
        if (HEX.matcher(v).matches()) {
            b = new BigInteger(v.substring(2), 16);
        } else if (OCT.matcher(v).matches()) {
            b = new BigInteger(v.substring(2), 8);
        } else if (INT.matcher(v).matches()) {
            String digits = v.replaceFirst("^[-+]", "");
            // as Go's parsers read it: a leading 0 is octal (file modes such as 0440)
            boolean octal = digits.length() > 1 && digits.startsWith("0") && digits.matches("[0-7]+");
            b = new BigInteger(octal ? v.replaceFirst("0(?=[0-7])", "") : v, octal ? 8 : 10);
        } else {
            return null;
        }
        return b.bitLength() < 64 ? F.numberNode(b.longValue()) : F.textNode(v);
    }
}
