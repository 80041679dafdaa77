package io.storagecontroller.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bodies broken so that no correct reading of them succeeds: not JSON, not UTF-8, the wrong JSON
 * type at the top or at one field, a required field left out, a field given twice, or too big.
 */
final class BrokenBodies {
  private BrokenBodies() {}

  /** A broken body and how it was broken; null bytes: no body at all. */
  record Broken(String what, byte[] bytes) {}

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Subtrees passed through to pageservers: replaced whole, never edited inside. */
  private static final List<String> OPAQUE = List.of("tenant_conf", "config", "secondary_conf");

  static Arbitrary<Broken> of(BodyTemplates.Template template, FuzzedRoute.Body kind) {
    return Arbitraries.oneOf(
        garbage(),
        truncated(template.json()),
        wrongTopLevel(kind),
        fieldOfWrongKind(template.json()),
        missingRequired(template),
        duplicateField(template.json()),
        huge(template.json()),
        notUtf8(template.json()));
  }

  private static Arbitrary<Broken> garbage() {
    return Arbitraries.oneOf(
        Arbitraries.just(new Broken("no body", null)),
        Arbitraries.of(
                "",
                " ",
                "{",
                "[",
                "}",
                "nul",
                "{\"a\":}",
                "{'a':1}",
                "{\"a\":1,}",
                "{\"a\" 1}",
                "\"unterminated",
                "[1,2",
                "{}}",
                "NaN",
                "-",
                "//comment\n{}",
                "{\"a\":1}/*c*/")
            .map(text -> new Broken("not JSON", utf8(text))),
        // No brackets: a random string is then never a valid object or list.
        Arbitraries.strings()
            .withChars("abcxyz0123456789 ,:\"\\tn")
            .ofMaxLength(40)
            .map(text -> new Broken("random text", utf8(text))));
  }

  private static Arbitrary<Broken> truncated(String json) {
    return Arbitraries.integers()
        .between(0, json.length() - 1)
        .map(n -> new Broken("truncated at " + n, utf8(json.substring(0, n))));
  }

  private static Arbitrary<Broken> wrongTopLevel(FuzzedRoute.Body kind) {
    List<String> wrong =
        kind == FuzzedRoute.Body.LIST
            ? List.of("7", "\"x\"", "true", "null", "{}", "[7]", "[[]]")
            : List.of("7", "\"x\"", "true", "null", "[]", "[{}]", "-1.5");
    return Arbitraries.of(wrong).map(text -> new Broken("wrong top-level type", utf8(text)));
  }

  /** One field (or list element) replaced by a value of a kind it can never have. */
  private static Arbitrary<Broken> fieldOfWrongKind(String json) {
    JsonNode root = JSON.readTree(json);
    List<Map.Entry<String, String>> edits = new ArrayList<>();
    positions(root, "", "", edits);
    if (edits.isEmpty()) {
      // A template without fields ("{}"): nothing to mistype.
      return garbage();
    }
    return Arbitraries.of(edits)
        .map(
            edit -> {
              JsonNode edited = root.deepCopy();
              replace(edited, edit.getKey(), JSON.readTree(edit.getValue()));
              return new Broken(
                  edit.getKey() + " set to " + abbreviate(edit.getValue()),
                  utf8(JSON.writeValueAsString(edited)));
            });
  }

  private static Arbitrary<Broken> missingRequired(BodyTemplates.Template template) {
    if (template.required().isEmpty()) {
      return fieldOfWrongKind(template.json());
    }
    JsonNode root = JSON.readTree(template.json());
    return Arbitraries.of(template.required())
        .map(
            pointer -> {
              JsonNode edited = root.deepCopy();
              JsonPointer p = JsonPointer.compile(pointer);
              JsonNode parent = edited.at(p.head());
              if (parent instanceof ObjectNode object) {
                object.remove(p.last().getMatchingProperty());
              } else if (parent instanceof ArrayNode array) {
                array.remove(p.last().getMatchingIndex());
              }
              return new Broken(
                  "required " + pointer + " left out", utf8(JSON.writeValueAsString(edited)));
            });
  }

  /** Serde refuses an object that names a field twice; the first copy holds another value. */
  private static Arbitrary<Broken> duplicateField(String json) {
    JsonNode root = JSON.readTree(json);
    if (!(root instanceof ObjectNode object) || object.isEmpty()) {
      return garbage();
    }
    List<String> names = new ArrayList<>(object.propertyNames());
    return Arbitraries.of(names)
        .map(
            name -> {
              JsonNode original = object.get(name);
              String other = original.isNumber() ? "" + (original.asLong() + 1) : "\"other\"";
              String text = "{\"" + name + "\":" + other + "," + json.substring(1);
              return new Broken(name + " given twice", utf8(text));
            });
  }

  private static Arbitrary<Broken> huge(String json) {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    List<Broken> huge = new ArrayList<>();
    huge.add(new Broken("nested 100000 deep", utf8(deep)));
    huge.add(new Broken("3 MB of text", utf8("x".repeat(3_000_000))));
    String id = firstRejectingString(json);
    if (id != null) {
      huge.add(new Broken(id + " set to 3 MB", utf8(withString(json, id, "a".repeat(3_000_000)))));
    }
    return Arbitraries.of(huge);
  }

  private static Arbitrary<Broken> notUtf8(String json) {
    byte[][] sequences = {
      {(byte) 0xFF},
      {(byte) 0xC3, 0x28},
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xC0, (byte) 0xAF}
    };
    String field = firstRejectingString(json);
    return Arbitraries.integers()
        .between(0, sequences.length - 1)
        .map(
            i -> {
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              String marked = field == null ? "\"@@\"" : withString(json, field, "@@");
              String[] halves = marked.split("@@", 2);
              out.writeBytes(utf8(halves[0]));
              out.writeBytes(sequences[i]);
              out.writeBytes(utf8(halves[1]));
              return new Broken("invalid UTF-8 in " + field, out.toByteArray());
            });
  }

  /**
   * Every edit of one position: its JSON pointer and a replacement of a kind it never accepts.
   * Inside opaque subtrees nothing is edited (the pageserver is their judge).
   */
  private static void positions(
      JsonNode node, String pointer, String field, List<Map.Entry<String, String>> out) {
    if (!pointer.isEmpty()) {
      for (String replacement : wrongKinds(node, field)) {
        out.add(Map.entry(pointer, replacement));
      }
    }
    if (OPAQUE.contains(field)) {
      return;
    }
    if (node instanceof ObjectNode object) {
      for (String name : object.propertyNames()) {
        positions(object.get(name), pointer + "/" + name, name, out);
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        positions(array.get(i), pointer + "/" + i, field, out);
      }
    }
  }

  private static List<String> wrongKinds(JsonNode value, String field) {
    List<String> out = new ArrayList<>();
    if (value.isString()) {
      out.addAll(List.of("{\"x\":1}", "[1]"));
      for (String s : MalformedValues.stringsFor(field)) {
        out.add(JSON.writeValueAsString(s));
      }
    } else if (value.isNumber()) {
      out.addAll(List.of("\"7\"", "1.5", "18446744073709551616", "1e400", "{}", "[]", "true"));
      if (MalformedValues.unsigned(field)) {
        out.add("-1");
      }
    } else if (value.isBoolean()) {
      out.addAll(List.of("\"yes\"", "1", "{}", "[]"));
    } else if (value.isObject() || value.isArray()) {
      out.addAll(List.of("7", "\"x\"", "true", value.isObject() ? "[]" : "{}"));
    }
    return out;
  }

  private static void replace(JsonNode root, String pointer, JsonNode value) {
    JsonPointer p = JsonPointer.compile(pointer);
    JsonNode parent = root.at(p.head());
    if (parent instanceof ObjectNode object) {
      object.set(p.last().getMatchingProperty(), value);
    } else if (parent instanceof ArrayNode array) {
      array.set(p.last().getMatchingIndex(), value);
    }
  }

  /** The pointer of the first string field that rejects strings it does not know, if any. */
  private static String firstRejectingString(String json) {
    List<Map.Entry<String, String>> edits = new ArrayList<>();
    positions(JSON.readTree(json), "", "", edits);
    JsonNode root = JSON.readTree(json);
    for (Map.Entry<String, String> edit : edits) {
      String field = edit.getKey().substring(edit.getKey().lastIndexOf('/') + 1);
      if (root.at(edit.getKey()).isString() && !MalformedValues.stringsFor(field).isEmpty()) {
        return edit.getKey();
      }
    }
    return null;
  }

  private static String withString(String json, String pointer, String value) {
    JsonNode edited = JSON.readTree(json);
    replace(edited, pointer, JsonNodeFactory.instance.stringNode(value));
    return JSON.writeValueAsString(edited);
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
