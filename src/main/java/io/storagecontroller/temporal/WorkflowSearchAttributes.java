package io.storagecontroller.temporal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The search attributes every workflow of the controller carries, so that the Temporal UI lists
 * "everything that touched tenant X" ({@code TenantId = 'X'}) or node N ({@code NodeId = 'N'}).
 *
 * <p>Temporal refuses to start a workflow naming a search attribute its namespace does not know, so
 * they are registered once at start-up (the in-process service and a self-hosted one accept the
 * operator call). Where that is not allowed (a managed namespace without the rights), the
 * controller says once how to register them and starts its workflows without: operations work the
 * same, only the UI's filter is missing.
 */
@Component
public class WorkflowSearchAttributes {
  private static final Logger log = LoggerFactory.getLogger(WorkflowSearchAttributes.class);
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  /** The tenant a workflow acts on. */
  public static final SearchAttributeKey<String> TENANT_ID =
      SearchAttributeKey.forKeyword("TenantId");

  /** Every node a workflow acts on (a migration: origin and destination), in decimal. */
  public static final SearchAttributeKey<List<String>> NODE_ID =
      SearchAttributeKey.forKeywordList("NodeId");

  /** The operation's kind as the operations API names it ({@code migrate}, {@code drain}, ...). */
  public static final SearchAttributeKey<String> OPERATION_KIND =
      SearchAttributeKey.forKeyword("OperationKind");

  /** The operations API's id of the operation the workflow carries out. */
  public static final SearchAttributeKey<Long> OPERATION_ID =
      SearchAttributeKey.forLong("OperationId");

  /** Each attribute with its type, as {@code temporal operator search-attribute create} takes. */
  public static final Map<String, IndexedValueType> ALL = all();

  private final boolean registered;

  @Autowired
  public WorkflowSearchAttributes(WorkflowClient client) {
    this(client, DEADLINE);
  }

  /** With each call to the service given {@code deadline}. */
  WorkflowSearchAttributes(WorkflowClient client, Duration deadline) {
    this.registered = register(client, deadline.toMillis());
  }

  /** Whether workflows may carry the attributes: the namespace knows every one of them. */
  public boolean registered() {
    return registered;
  }

  private static boolean register(WorkflowClient client, long deadline) {
    String namespace = client.getOptions().getNamespace();
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setChannel(client.getWorkflowServiceStubs().getRawChannel())
                .validateAndBuildWithDefaults());
    try {
      Map<String, IndexedValueType> missing = missing(operator, namespace, deadline);
      for (Map.Entry<String, IndexedValueType> attribute : missing.entrySet()) {
        add(operator, namespace, attribute.getKey(), attribute.getValue(), deadline);
      }
      if (!missing.isEmpty()) {
        log.info("registered search attributes {} in namespace {}", missing.keySet(), namespace);
      }
      return true;
    } catch (IllegalStateException e) {
      log.warn(
          "{}: workflows start without search attributes; remove it, then register them with: {}",
          e.getMessage(),
          command(namespace));
      return false;
    } catch (StatusRuntimeException e) {
      log.warn(
          "could not register the workflows' search attributes in namespace {} ({}): workflows"
              + " start without them; register them with: {}",
          namespace,
          e.getStatus(),
          command(namespace));
      return false;
    } finally {
      // The channel is the workflow client's: only this stub's wrapper is released.
      operator.shutdown();
    }
  }

  /**
   * Those not yet known; all of them where the server cannot list them (the in-process service).
   * One known with another type cannot be used: starting a workflow would fail.
   */
  private static Map<String, IndexedValueType> missing(
      OperatorServiceStubs operator, String namespace, long deadline) {
    Map<String, IndexedValueType> missing = new LinkedHashMap<>(ALL);
    try {
      Map<String, IndexedValueType> known =
          operator
              .blockingStub()
              .withDeadlineAfter(deadline, TimeUnit.MILLISECONDS)
              .listSearchAttributes(
                  ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
              .getCustomAttributesMap();
      for (Map.Entry<String, IndexedValueType> attribute : ALL.entrySet()) {
        IndexedValueType type = known.get(attribute.getKey());
        if (type != null && type != attribute.getValue()) {
          throw new IllegalStateException(
              "search attribute "
                  + attribute.getKey()
                  + " is registered in namespace "
                  + namespace
                  + " as "
                  + type
                  + ", not "
                  + attribute.getValue());
        }
        if (type != null) {
          missing.remove(attribute.getKey());
        }
      }
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
        throw e;
      }
    }
    return missing;
  }

  /** Adds one; already there (where it could not be listed) is as good. */
  private static void add(
      OperatorServiceStubs operator,
      String namespace,
      String name,
      IndexedValueType type,
      long deadline) {
    try {
      operator
          .blockingStub()
          .withDeadlineAfter(deadline, TimeUnit.MILLISECONDS)
          .addSearchAttributes(
              AddSearchAttributesRequest.newBuilder()
                  .setNamespace(namespace)
                  .putSearchAttributes(name, type)
                  .build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
        throw e;
      }
    }
  }

  /** The Temporal CLI command that registers them all. */
  public static String command(String namespace) {
    StringBuilder command =
        new StringBuilder("temporal operator search-attribute create --namespace " + namespace);
    ALL.forEach(
        (name, type) ->
            command.append(" --name ").append(name).append(" --type ").append(cliType(type)));
    return command.toString();
  }

  private static String cliType(IndexedValueType type) {
    return switch (type) {
      case INDEXED_VALUE_TYPE_KEYWORD -> "Keyword";
      case INDEXED_VALUE_TYPE_KEYWORD_LIST -> "KeywordList";
      case INDEXED_VALUE_TYPE_INT -> "Int";
      default -> throw new IllegalArgumentException("no CLI name for " + type);
    };
  }

  private static Map<String, IndexedValueType> all() {
    Map<String, IndexedValueType> all = new LinkedHashMap<>();
    for (SearchAttributeKey<?> key : List.of(TENANT_ID, NODE_ID, OPERATION_KIND, OPERATION_ID)) {
      all.put(key.getName(), key.getValueType());
    }
    return Collections.unmodifiableMap(all);
  }
}
