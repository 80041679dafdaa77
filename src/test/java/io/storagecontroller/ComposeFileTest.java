package io.storagecontroller;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.storagecontroller.cli.ControllerCommand;
import io.storagecontroller.temporal.WorkflowSearchAttributes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * docker-compose.yml without a Docker engine: it follows the Compose specification (its JSON
 * schema, vendored under src/test/resources/compose), has the services the README describes, and
 * gives the controller and the simulator only flags and environment variables they read, with ports
 * and addresses that meet.
 */
class ComposeFileTest {
  static final Path ROOT = Path.of("").toAbsolutePath();
  static final JsonNode COMPOSE = read(ROOT.resolve("docker-compose.yml"));
  static final JsonNode SERVICES = COMPOSE.get("services");

  static JsonNode read(Path file) {
    return YAMLMapper.builder().build().readTree(file.toFile());
  }

  static CommandSpec controllerSpec() {
    return ControllerCommand.commandLine(
            new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
        .getCommandSpec();
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asString()));
    return out;
  }

  /** The value after a flag in a command list. */
  static String flag(List<String> command, String name) {
    int at = command.indexOf(name);
    assertThat(at).as("%s in %s", name, command).isNotNegative();
    return command.get(at + 1);
  }

  /** A value as compose reads it with no variables set: {@code ${NAME:-default}} is the default. */
  static String interpolated(String value) {
    return Pattern.compile("\\$\\{[A-Z_]+(?::-([^}]*))?}")
        .matcher(value)
        .replaceAll(m -> Matcher.quoteReplacement(m.group(1) == null ? "" : m.group(1)));
  }

  @Test
  void followsTheComposeSpecification() {
    // Loaded from its location: its $id ("compose_spec.json") is relative to it.
    Schema schema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
            .getSchema(SchemaLocation.of("classpath:compose/compose-spec.json"));
    List<Error> errors = schema.validate(COMPOSE);
    assertThat(errors).isEmpty();
    // And the schema does catch a mistake, e.g. a misspelt key.
    JsonNode misspelt =
        YAMLMapper.builder().build().readTree("services:\n  db:\n    imagee: postgres:17\n");
    assertThat(schema.validate(misspelt)).isNotEmpty();
  }

  @Test
  void theServicesAreTheOnesTheReadmeDescribes() throws IOException {
    Set<String> described = readmeServices(Files.readAllLines(ROOT.resolve("README.md")));
    assertThat(described).isNotEmpty();
    assertThat(SERVICES.propertyNames()).containsExactlyInAnyOrderElementsOf(described);
  }

  /** The first column of the first table after the README's compose heading. */
  static Set<String> readmeServices(List<String> lines) {
    Set<String> services = new HashSet<>();
    boolean inSection = false;
    boolean inTable = false;
    Pattern row = Pattern.compile("^\\| `([a-z][a-z0-9-]*)` \\|");
    for (String line : lines) {
      if (line.startsWith("#")) {
        if (inTable) {
          break;
        }
        inSection = line.toLowerCase().contains("docker compose");
        continue;
      }
      if (!inSection) {
        continue;
      }
      Matcher m = row.matcher(line);
      if (m.find()) {
        inTable = true;
        services.add(m.group(1));
      } else if (inTable && !line.startsWith("|")) {
        break;
      }
    }
    return services;
  }

  @Test
  void theControllerGetsOnlyFlagsAndVariablesItReads() {
    CommandSpec spec = controllerSpec();
    JsonNode controller = SERVICES.get("storage-controller");
    for (String word : strings(controller.get("command"))) {
      if (word.startsWith("-")) {
        assertThat(spec.findOption(word)).as("controller flag %s", word).isNotNull();
      }
    }
    Set<String> variables = new HashSet<>();
    Pattern env = Pattern.compile("\\$\\{env:([A-Z_]+)}");
    // The variables as written in the flags' annotations (picocli hands out resolved values).
    for (Field field : ControllerCommand.class.getDeclaredFields()) {
      Option option = field.getAnnotation(Option.class);
      if (option != null) {
        Matcher m = env.matcher(option.defaultValue());
        while (m.find()) {
          variables.add(m.group(1));
        }
      }
    }
    assertThat(variables).contains("DATABASE_URL", "PUBLIC_KEY", "PAGESERVER_JWT_TOKEN");
    assertThat(controller.get("environment").propertyNames()).isSubsetOf(variables);
  }

  @Test
  void theSimulatorGetsOnlyFlagsItReads() {
    CommandLine simulate = new CommandLine(controllerSpec()).getSubcommands().get("simulate");
    assertThat(simulate).isNotNull();
    List<String> command = strings(SERVICES.get("pageservers").get("command"));
    assertThat(command.get(0)).isEqualTo("simulate");
    for (String word : command) {
      if (word.startsWith("-")) {
        assertThat(simulate.getCommandSpec().findOption(word)).as("simulate %s", word).isNotNull();
      }
    }
  }

  /** The image and bin/storage_controller start the JVM with the same heap settings. */
  @Test
  void theImageAndTheLauncherGiveUnusedHeapBackAlike() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    String launcher = Files.readString(ROOT.resolve("bin/storage_controller"));
    for (String flag :
        List.of(
            "-XX:G1PeriodicGCInterval=30000",
            "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=30")) {
      assertThat(dockerfile).contains("\"" + flag + "\"");
      assertThat(launcher).contains(flag);
    }
  }

  @Test
  void portsAndAddressesMeet() throws IOException {
    JsonNode controller = SERVICES.get("storage-controller");
    List<String> command = strings(controller.get("command"));
    String port = flag(command, "--listen").split(":")[1];
    assertThat(strings(controller.get("ports"))).contains("127.0.0.1:" + port + ":" + port);
    assertThat(controller.at("/healthcheck/test").toString())
        .contains("/dev/tcp/127.0.0.1/" + port, "/ready");
    // The Dockerfile's image listens on the same port by default.
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    assertThat(dockerfile).contains("EXPOSE " + port, "0.0.0.0:" + port);

    // Temporal: the controller and the UI call the temporal service on its published port.
    String temporal = flag(command, "--temporal-target");
    assertThat(SERVICES.has(temporal.split(":")[0])).isTrue();
    assertThat(strings(SERVICES.get("temporal").get("ports")))
        .anyMatch(p -> p.endsWith(":" + temporal.split(":")[1]));
    assertThat(SERVICES.at("/temporal-ui/environment/TEMPORAL_ADDRESS").asString())
        .isEqualTo(temporal);
    assertThat(flag(command, "--temporal-namespace"))
        .isEqualTo(SERVICES.at("/temporal/environment/DEFAULT_NAMESPACE").asString());

    // PostgreSQL: the controller's URL names the database service and its credentials.
    URI database = URI.create(interpolated(controller.at("/environment/DATABASE_URL").asString()));
    JsonNode db = SERVICES.get(database.getHost());
    assertThat(db).as("database service %s", database.getHost()).isNotNull();
    assertThat(database.getPath()).isEqualTo("/" + db.at("/environment/POSTGRES_DB").asString());
    assertThat(database.getRawUserInfo())
        .isEqualTo(
            db.at("/environment/POSTGRES_USER").asString()
                + ":"
                + interpolated(db.at("/environment/POSTGRES_PASSWORD").asString()));

    // The simulated pageservers run in a container of their own, registered under its host name
    // so that any controller reaches them; they call the leader on its port; their control API is
    // published by their own service.
    JsonNode pageservers = SERVICES.get("pageservers");
    assertThat(pageservers.has("network_mode")).isFalse();
    List<String> simulate = strings(pageservers.get("command"));
    assertThat(flag(simulate, "--controller")).isEqualTo("http://storage-controller:" + port);
    assertThat(flag(simulate, "--advertised-host")).isEqualTo("pageservers");
    String control = flag(simulate, "--control-listen").split(":")[1];
    assertThat(strings(pageservers.get("ports"))).contains("127.0.0.1:" + control + ":" + control);
    assertThat(pageservers.get("image").asString()).isEqualTo(controller.get("image").asString());

    // Each controller tells peers where it is, by its service name and port.
    assertThat(flag(command, "--address-for-peers")).isEqualTo("http://storage-controller:" + port);
    List<String> next = strings(SERVICES.get("storage-controller-next").get("command"));
    assertThat(flag(next, "--address-for-peers"))
        .isEqualTo("http://storage-controller-next:" + flag(next, "--listen").split(":")[1]);
  }

  /**
   * The rolling deploy's second controller shares the first one's database and Temporal and starts
   * as a candidate, only when its profile is asked for.
   */
  @Test
  void theNextControllerIsACandidateOnTheSameStores() {
    JsonNode first = SERVICES.get("storage-controller");
    JsonNode next = SERVICES.get("storage-controller-next");
    List<String> command = strings(next.get("command"));
    assertThat(command).contains("--start-as-candidate");
    assertThat(flag(command, "--temporal-target"))
        .isEqualTo(flag(strings(first.get("command")), "--temporal-target"));
    assertThat(next.at("/environment/DATABASE_URL").asString())
        .isEqualTo(first.at("/environment/DATABASE_URL").asString());
    assertThat(strings(next.get("profiles"))).containsExactly("rolling-deploy");
    assertThat(next.get("image").asString()).isEqualTo(first.get("image").asString());
  }

  /**
   * A service waits for a long-running dependency to be healthy, and for a one-shot job (no restart
   * policy, no health check) to have exited 0.
   */
  @Test
  void everyServiceStartsAfterWhatItNeedsIsReady() {
    for (String name : SERVICES.propertyNames()) {
      JsonNode dependsOn = SERVICES.get(name).path("depends_on");
      for (String dependency : dependsOn.propertyNames()) {
        assertThat(SERVICES.has(dependency)).as("%s depends on %s", name, dependency).isTrue();
        JsonNode needed = SERVICES.get(dependency);
        String condition = dependsOn.get(dependency).get("condition").asString();
        if (condition.equals("service_completed_successfully")) {
          assertThat(needed.has("restart") || needed.has("healthcheck") || needed.has("ports"))
              .as("%s is a one-shot job", dependency)
              .isFalse();
        } else {
          assertThat(condition).isEqualTo("service_healthy");
          assertThat(needed.has("healthcheck")).as("%s has a health check", dependency).isTrue();
        }
      }
    }
    assertThat(SERVICES.at("/storage-controller/depends_on").propertyNames())
        .contains("controller-db", "temporal");
    assertThat(SERVICES.at("/grafana/depends_on/prometheus/condition").asString())
        .isEqualTo("service_healthy");
  }

  /**
   * The search attributes the workflows carry are registered, in the controller's namespace on its
   * Temporal, before either controller starts: Temporal refuses a workflow naming an unknown one.
   */
  @Test
  void theControllersStartAfterTheSearchAttributesAreRegistered() {
    JsonNode job = SERVICES.get("temporal-search-attributes");
    assertThat(job.at("/depends_on/temporal/condition").asString()).isEqualTo("service_healthy");
    for (String controller : List.of("storage-controller", "storage-controller-next")) {
      assertThat(
              SERVICES
                  .at("/" + controller + "/depends_on/temporal-search-attributes/condition")
                  .asString())
          .as(controller)
          .isEqualTo("service_completed_successfully");
    }
    String script = String.join("\n", strings(job.get("command")));
    Matcher loop = Pattern.compile("for attribute in ([^;]+);").matcher(script);
    assertThat(loop.find()).as(script).isTrue();
    Map<String, String> registered = new LinkedHashMap<>();
    for (String attribute : loop.group(1).trim().split("\\s+")) {
      registered.put(attribute.split(":")[0], attribute.split(":")[1]);
    }
    Map<String, String> carried = new LinkedHashMap<>();
    WorkflowSearchAttributes.ALL.forEach(
        (name, type) ->
            carried.put(
                name,
                switch (type) {
                  case INDEXED_VALUE_TYPE_KEYWORD -> "Keyword";
                  case INDEXED_VALUE_TYPE_KEYWORD_LIST -> "KeywordList";
                  case INDEXED_VALUE_TYPE_INT -> "Int";
                  default -> type.name();
                }));
    assertThat(registered).containsExactlyInAnyOrderEntriesOf(carried);
    List<String> command = strings(SERVICES.get("storage-controller").get("command"));
    assertThat(script)
        .contains(
            "search-attribute create --address " + flag(command, "--temporal-target"),
            "--namespace " + flag(command, "--temporal-namespace"));
  }

  /** Prometheus and Grafana on loopback only; every image pinned to a tag. */
  @Test
  void theOperatorsViewIsPublishedOnLoopback() {
    assertThat(strings(SERVICES.get("prometheus").get("ports")))
        .containsExactly("127.0.0.1:9090:9090");
    assertThat(strings(SERVICES.get("grafana").get("ports")))
        .containsExactly("127.0.0.1:3000:3000");
    for (String name : SERVICES.propertyNames()) {
      String image = SERVICES.get(name).get("image").asString();
      assertThat(image).as(name).containsPattern(":[^:]+$").doesNotEndWith(":latest");
    }
  }
}
