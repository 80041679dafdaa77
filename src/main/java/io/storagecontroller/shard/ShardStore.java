package io.storagecontroller.shard;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.storagecontroller.failpoint.FailpointNames;
import io.storagecontroller.failpoint.Failpoints;
import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardNumber;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.StepFailure;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.scheduler.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The one owner of tenant shard state: intent, placement and scheduling policy, config,
 * generations, the operation holding a shard, and what pageservers were observed to hold. Every
 * durable change is written to PostgreSQL first and then to memory, here and nowhere else; readers
 * get immutable {@link ShardView}s. See {@code package-info.java} for the lock order.
 */
@Component
public class ShardStore {
  private static final Logger log = LoggerFactory.getLogger(ShardStore.class);

  private final Scheduler scheduler;
  private final TenantShardPersistence persistence;
  private final SerializableTransactions transactions;
  private final GenerationCommits generationCommits;
  private final Counter generationsIssued;
  private final GenerationRegressions regressions;
  private final Failpoints failpoints;
  private final ShardRowsAhead rowsAhead;

  private volatile boolean scanned;

  /** What a candidate read ahead into memory reflects, until {@link #loadAll}. */
  private volatile ReadAheadState readAhead;

  /** Tenants whose generation write failed and may have committed: see resolveAmbiguousCommits. */
  private final Set<TenantId> ambiguous = ConcurrentHashMap.newKeySet();

  /**
   * Dropped nodes: an answer from one that was on its way when it was dropped (a reconcile's
   * location call) must not put it back into a shard's observed state. Until its tombstone goes.
   */
  private final Set<NodeId> droppedNodes = ConcurrentHashMap.newKeySet();

  /** When each node's last re-attach was taken into memory ({@link System#nanoTime}). */
  private final Map<NodeId, Long> reAttachedAt = new ConcurrentHashMap<>();

  /** Every shard, in id order so a tenant's shards are one range. Values guarded by this. */
  private final NavigableMap<TenantShardId, TenantShard> shards = new ConcurrentSkipListMap<>();

  /** The reachable nodes last planned against: the token clean verdicts are kept against. */
  private volatile Set<NodeId> sweptAgainst = Set.of();

  private final KeyedLocks<TenantId> tenantLocks = new KeyedLocks<>();
  private final TenantChangeWaits waits = new TenantChangeWaits();
  private final KeyedLocks<TenantShardId> writers = new KeyedLocks<>();

  /**
   * The tenants whose shards each operation may hold, so that an operation's end releases its
   * shards without reading every shard. Noted wherever a shard takes a holder (under the monitor);
   * a superset: a tenant listed whose shards no longer hold is skipped at release.
   */
  private final Map<Long, Set<TenantId>> holders = new ConcurrentHashMap<>();

  ShardStore(
      Scheduler scheduler,
      TenantShardPersistence persistence,
      SerializableTransactions transactions,
      PrometheusMeterRegistry prometheus,
      GenerationRegressions regressions,
      Failpoints failpoints,
      ShardRowsAhead rowsAhead) {
    this.scheduler = scheduler;
    this.rowsAhead = rowsAhead;
    this.failpoints = failpoints;
    this.regressions = regressions;
    this.persistence = persistence;
    this.transactions = transactions;
    this.generationCommits = new GenerationCommits(transactions, persistence);
    this.generationsIssued =
        Counter.builder()
            .name("storage_controller_generation_increment")
            .help("Generations issued (attach to a node, re-attach)")
            .withoutExemplars()
            .register(prometheus.getPrometheusRegistry());
  }

  /** The scheduler whose counts follow every intent here; for scores and dumps. */
  public Scheduler scheduler() {
    return scheduler;
  }

  // ---------------------------------------------------------------------------------------------
  // Reads: immutable views, without any lock. Each shard's view is consistent; a tenant read while
  // it changes (a split replacing its parents) may show some of its shards from before.

  public Optional<ShardView> shard(TenantShardId id) {
    return Optional.ofNullable(shards.get(id)).map(TenantShard::view);
  }

  /** The tenant's shards in shard order; empty when it is unknown. */
  public List<ShardView> tenant(TenantId tenant) {
    return range(tenant).values().stream().map(TenantShard::view).toList();
  }

  /**
   * Waits until {@code condition} holds (true) or {@code timeout} passes (false): evaluated again
   * whenever one of the tenant's shards changes, and at least every quarter second (it may read
   * more than the tenant: nodes, leadership). Holds no lock while it waits.
   */
  public boolean awaitTenant(TenantId tenant, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    return waits.await(tenant, timeout, condition);
  }

  public boolean hasTenant(TenantId tenant) {
    return !range(tenant).isEmpty();
  }

  /** Every shard. O(shards): for sweeps, planners and support dumps, not per request. */
  public List<ShardView> all() {
    List<ShardView> views = new ArrayList<>(shards.size());
    shards.values().forEach(s -> views.add(s.view()));
    return views;
  }

  /** Every shard's view in turn, without a list of them all. O(shards), as {@link #all}. */
  public void forEach(Consumer<ShardView> visit) {
    shards.values().forEach(s -> visit.accept(s.view()));
  }

  /**
   * The sweep's walk over every shard, without a lookup per shard (at 100,000 shards the lookups of
   * each one's reconcile count were most of an idle sweep). {@code dirty} plans a shard against the
   * reachable nodes; a shard found clean is remembered so with its view, and is not planned again
   * while its view and the reachable nodes stay the same (a view is immutable and replaced at every
   * change). A clean shard's run of consecutive reconciles ends, as in Neon.
   */
  public void sweepPass(Set<NodeId> reachable, Predicate<ShardView> dirty, SweepVisit visit) {
    Set<NodeId> nodes = cleanToken(reachable);
    for (TenantShard shard : shards.values()) {
      ShardView view = shard.view();
      boolean clean = shard.knownClean(view, nodes);
      if (!clean && dirty.test(view)) {
        visit.shard(view, true, shard.consecutiveReconciles());
        continue;
      }
      if (!clean) {
        shard.foundClean(view, nodes);
      }
      shard.resetConsecutiveReconciles();
      visit.shard(view, false, 0);
    }
  }

  /**
   * Whether none of the tenant's shards is dirty against the reachable nodes: what a create or
   * delete waits for, asked again at each change of its shards. Verdicts are shared with the
   * sweep's, so a shard whose view has not changed since it was found clean is not planned again.
   */
  public boolean tenantClean(TenantId tenant, Set<NodeId> reachable, Predicate<ShardView> dirty) {
    Set<NodeId> nodes = cleanToken(reachable);
    for (TenantShard shard : range(tenant).values()) {
      ShardView view = shard.view();
      if (shard.knownClean(view, nodes)) {
        continue;
      }
      if (dirty.test(view)) {
        return false;
      }
      shard.foundClean(view, nodes);
    }
    return true;
  }

  /** The token clean verdicts are kept against: the same object while the reachable nodes stay. */
  private Set<NodeId> cleanToken(Set<NodeId> reachable) {
    Set<NodeId> nodes = sweptAgainst;
    if (!nodes.equals(reachable)) {
      nodes = Set.copyOf(reachable);
      sweptAgainst = nodes;
    }
    return nodes;
  }

  public int size() {
    return shards.size();
  }

  /**
   * Tenant ids in order, strictly after {@code after} (null: from the start), at most {@code
   * limit}.
   */
  public List<TenantId> tenantIds(TenantId after, int limit) {
    List<TenantId> ids = new ArrayList<>();
    NavigableMap<TenantShardId, TenantShard> tail =
        after == null ? shards : shards.tailMap(upperBound(after), false);
    TenantId last = null;
    for (TenantShardId id : tail.keySet()) {
      if (!id.tenantId().equals(last)) {
        if (ids.size() >= limit) {
          break;
        }
        last = id.tenantId();
        ids.add(last);
      }
    }
    return ids;
  }

  /** The generations the database holds for these shards (validate trusts nothing else alone). */
  public Map<TenantShardId, Generation> storedGenerations(Collection<TenantShardId> ids) {
    return transactions.execute("shard_generations", () -> persistence.generations(ids));
  }

  // ---------------------------------------------------------------------------------------------
  // Durable changes: the tenant's lock, the database, then memory.

  /** What {@link #create} did: made the shards, or found the tenant already there. */
  public record Created(boolean created, List<ShardView> shards) {}

  /**
   * Creates a tenant's shards, placed by {@code place}, or none: a refusal or a failed insert
   * leaves nothing behind, in the database or the scheduler. A tenant already in memory is returned
   * as it is.
   */
  public Created create(
      TenantId tenant, String operation, List<TenantShardRow> rows, Consumer<TenantEdit> place) {
    return tenantLocks.with(
        tenant,
        () -> {
          if (hasTenant(tenant)) {
            return new Created(false, tenant(tenant));
          }
          TenantEdit edit;
          synchronized (this) {
            if (hasTenant(tenant)) {
              return new Created(false, tenant(tenant));
            }
            List<ShardDraft> drafts = new ArrayList<>(rows.size());
            for (TenantShardRow row : rows) {
              IntentState empty = TenantShard.emptyIntent(row, scheduler);
              drafts.add(new ShardDraft(new TenantShard(row, empty, waits).view(), empty));
            }
            edit = new TenantEdit(tenant, drafts, scheduler);
            runEdit(
                edit,
                e -> {
                  place.accept(e);
                  return null;
                });
          }
          List<TenantShardRow> placed = edit.shards().stream().map(ShardDraft::toRow).toList();
          // The floor a deleted tenant of the same id left is read in the insert's own transaction
          // (one transaction per create, and no delete can move the floor in between).
          AtomicReference<List<TenantShardRow>> inserted = new AtomicReference<>(placed);
          write(
              edit,
              operation,
              () -> {
                long floor = persistence.generationFloor(tenant);
                List<TenantShardRow> above =
                    floor == 0 ? placed : placed.stream().map(r -> r.above(floor)).toList();
                persistence.insert(above);
                inserted.set(above);
              });
          synchronized (this) {
            List<ShardDraft> created = edit.shards();
            for (int i = 0; i < created.size(); i++) {
              ShardDraft draft = created.get(i);
              shards.put(draft.id(), new TenantShard(inserted.get().get(i), draft.intent(), waits));
              noteHolder(draft.id(), draft.heldBy());
            }
            return new Created(true, tenant(tenant));
          }
        });
  }

  /**
   * Adds one shard, unplaced, unless it exists (the generation test API creates shards one at a
   * time); returns it.
   */
  public ShardView addShard(TenantShardRow row) {
    return tenantLocks.with(
        row.id().tenantId(),
        () -> {
          Optional<ShardView> existing = shard(row.id());
          if (existing.isPresent()) {
            return existing.get();
          }
          // Its generation above any a deleted tenant of the same id left as a floor, read in the
          // insert's own transaction as a create's is.
          TenantShardRow fresh =
              transactions.execute(
                  "attach_hook",
                  () -> {
                    long floor = persistence.generationFloor(row.id().tenantId());
                    TenantShardRow above = floor == 0 ? row : row.above(floor);
                    persistence.insert(List.of(above));
                    return above;
                  });
          synchronized (this) {
            load(fresh);
            return shards.get(fresh.id()).view();
          }
        });
  }

  /**
   * Changes a tenant's shards: {@code edit} works on drafts under the monitor (no I/O), the changed
   * rows are written in one SERIALIZABLE transaction named {@code operation}, then memory takes
   * them. A refusal (the edit throws) or a failed write changes nothing.
   */
  public <R> R change(TenantId tenant, String operation, Function<TenantEdit, R> edit) {
    return tenantLocks.with(
        tenant,
        () -> {
          TenantEdit draft;
          R result;
          synchronized (this) {
            draft = new TenantEdit(tenant, drafts(range(tenant).values()), scheduler);
            result = runEdit(draft, edit);
          }
          List<ShardDraft> changed = draft.changed();
          if (!changed.isEmpty()) {
            write(draft, operation, () -> requireAll(changed.size(), persistence.update(changed)));
          }
          synchronized (this) {
            applyToMemory(draft);
          }
          return result;
        });
  }

  /**
   * {@link #change} for many tenants at once, for bulk work (an evacuation's plan): each tenant's
   * edit works on its own drafts under the monitor, in the order given, and all the changed rows
   * are written in one transaction named {@code operation}, then memory takes them. An edit that
   * throws, or a failed write, changes none of them.
   */
  public <R> Map<TenantId, R> changeEach(
      Collection<TenantId> tenants, String operation, BiFunction<TenantId, TenantEdit, R> edit) {
    return tenantLocks.withAll(
        tenants,
        () -> {
          List<TenantEdit> drafts = new ArrayList<>();
          Map<TenantId, R> results = new LinkedHashMap<>();
          synchronized (this) {
            try {
              for (TenantId tenant : new LinkedHashSet<>(tenants)) {
                TenantEdit draft =
                    new TenantEdit(tenant, drafts(range(tenant).values()), scheduler);
                drafts.add(draft);
                results.put(tenant, edit.apply(tenant, draft));
              }
            } catch (RuntimeException e) {
              revertAll(drafts);
              throw e;
            }
          }
          List<ShardDraft> changed = new ArrayList<>();
          drafts.forEach(d -> changed.addAll(d.changed()));
          if (!changed.isEmpty()) {
            try {
              transactions.run(
                  operation, () -> requireAll(changed.size(), persistence.update(changed)));
            } catch (RuntimeException e) {
              synchronized (this) {
                revertAll(drafts);
              }
              throw e;
            }
          }
          synchronized (this) {
            drafts.forEach(this::applyToMemory);
          }
          return results;
        });
  }

  private static void revertAll(List<TenantEdit> drafts) {
    for (int i = drafts.size() - 1; i >= 0; i--) {
      drafts.get(i).revert();
    }
  }

  /** Memory takes an edit's drafts once they are written (under the monitor). */
  private void applyToMemory(TenantEdit draft) {
    for (ShardDraft d : draft.shards()) {
      TenantShard live = shards.get(d.id());
      if (live != null && d.touchesMemory()) {
        live.apply(d);
        noteHolder(d.id(), d.heldBy());
      }
    }
  }

  /**
   * Issues the shard's next generation to {@code node}: the database's compare-and-set first, then
   * memory. Empty when the shard no longer exists. Increments asked for at the same time share one
   * transaction ({@link GenerationCommits}).
   */
  public Optional<Generation> issueGeneration(TenantShardId id, NodeId node) {
    refuseIfRegressed(id);
    return tenantLocks.with(
        id.tenantId(),
        () -> {
          Optional<Generation> issued;
          try {
            issued = generationCommits.issue(id, node);
            failpoints.hit(FailpointNames.GENERATION_COMMIT_ANSWER_LOST);
          } catch (RuntimeException e) {
            if (!(e instanceof Refusal)) {
              // The COMMIT may have landed all the same: memory must not stay behind it.
              ambiguous.add(id.tenantId());
              resolveAmbiguous(id.tenantId());
            }
            throw e;
          }
          issued.ifPresent(
              generation -> {
                synchronized (this) {
                  live(id).ifPresent(s -> s.generationIssued(generation, node));
                }
                generationsIssued.inc();
                log.info("{}: issued generation {} to node {}", id, generation, node);
              });
          return issued;
        });
  }

  /**
   * Re-reads the generations of tenants whose generation write failed in a way that may have
   * committed, and adopts them in memory (generations only grow, so a newer one already there
   * stays). One whose database is unreachable is left for the next pass of the control loop.
   * Returns how many are still unresolved.
   */
  public int resolveAmbiguousCommits() {
    for (TenantId tenant : List.copyOf(ambiguous)) {
      tenantLocks.with(tenant, () -> resolveAmbiguous(tenant));
    }
    return ambiguous.size();
  }

  /** Under the tenant's lock. */
  private boolean resolveAmbiguous(TenantId tenant) {
    List<TenantShardRow> rows;
    try {
      rows = transactions.execute("load_tenant", () -> persistence.loadTenant(tenant));
    } catch (RuntimeException e) {
      log.warn("tenant {}: generations not re-read after a failed write: {}", tenant, e.toString());
      return false;
    }
    synchronized (this) {
      for (TenantShardRow row : rows) {
        live(row.id())
            .filter(s -> row.generation() != null)
            .ifPresent(s -> s.generationIssued(row.generation(), row.generationPageserver()));
      }
    }
    ambiguous.remove(tenant);
    log.info("tenant {}: generations re-read after a failed write", tenant);
    return true;
  }

  /** One shard of a re-attach answer: an attachment with its new generation, or a secondary. */
  public record ReAttached(
      TenantShardId id,
      Generation generation,
      LocationConfigMode mode,
      ShardStripeSize stripeSize) {}

  /**
   * A pageserver (re)starts: one statement gives every shard whose generation it holds a new one;
   * memory then records what the node will hold once it applies the answer: those attachments
   * (AttachedMulti where another reachable node is known to hold the shard attached, so that two
   * nodes never both believe they are the only one), the secondaries its intent gives it, and
   * nothing else.
   */
  /**
   * Whether the node re-attached after {@code since} ({@link System#nanoTime}): a list of its
   * locations asked for before then may predate what the re-attach put in memory.
   */
  public boolean reAttachedSince(NodeId node, long since) {
    Long at = reAttachedAt.get(node);
    return at != null && at - since >= 0;
  }

  public List<ReAttached> reAttach(NodeId node, Set<NodeId> available) {
    Set<TenantId> tenants = tenantsWhere(s -> node.equals(s.generationPageserver()));
    return tenantLocks.withAll(
        tenants,
        () -> {
          List<TenantShardRow> bumped =
              transactions.execute("re_attach", () -> persistence.incrementGenerationsOf(node));
          generationsIssued.inc(bumped.size());
          List<ReAttached> answer;
          synchronized (this) {
            answer = reAttached(node, available, bumped);
          }
          reAttachedAt.put(node, System.nanoTime());
          return answer;
        });
  }

  private List<ReAttached> reAttached(
      NodeId node, Set<NodeId> available, List<TenantShardRow> bumped) {
    List<ReAttached> answer = new ArrayList<>();
    Set<TenantShardId> attachedHere = new LinkedHashSet<>();
    for (TenantShardRow row : bumped) {
      attachedHere.add(row.id());
      TenantShard shard = shards.get(row.id());
      if (regressions.isRegressed(row.id())) {
        // Its new generation may be one the node already holds: it is not handed out, and the
        // node drops the shard (it stops writing it, which is safe) until the database is repaired.
        log.error("{}: left out of node {}'s re-attach: generation regression", row.id(), node);
        if (shard != null) {
          shard.generationIssued(row.generation(), node);
          shard.observeGone(node);
        }
        continue;
      }
      LocationConfigMode mode =
          shard != null && attachedElsewhere(shard, node, available)
              ? LocationConfigMode.ATTACHED_MULTI
              : LocationConfigMode.ATTACHED_SINGLE;
      answer.add(new ReAttached(row.id(), row.generation(), mode, row.stripeSize()));
      if (shard != null) {
        shard.generationIssued(row.generation(), node);
        LocationConfig wanted = LocationConfigs.attached(shard.view(), row.generation().value());
        shard.observe(node, LocationConfigs.withMode(wanted, row.generation(), mode));
      }
    }
    for (TenantShard shard : shards.values()) {
      if (attachedHere.contains(shard.id())) {
        continue;
      }
      if (shard.intent().secondaries().contains(node)) {
        answer.add(
            new ReAttached(
                shard.id(), null, LocationConfigMode.SECONDARY, shard.view().stripeSize()));
        shard.observe(node, LocationConfigs.secondary(shard.view()));
      } else {
        // The pageserver drops whatever the answer does not list.
        shard.observeGone(node);
      }
    }
    return answer;
  }

  private static boolean attachedElsewhere(TenantShard shard, NodeId node, Set<NodeId> available) {
    return shard.view().observed().entrySet().stream()
        .anyMatch(
            held ->
                !held.getKey().equals(node)
                    && available.contains(held.getKey())
                    && held.getValue()
                        .map(
                            c ->
                                c.mode() == LocationConfigMode.ATTACHED_SINGLE
                                    || c.mode() == LocationConfigMode.ATTACHED_MULTI)
                        .orElse(false));
  }

  /** Forgets the tenant: its rows, then its shards and their scheduler counts. */
  public int deleteTenant(TenantId tenant) {
    return tenantLocks.with(
        tenant,
        () -> {
          int deleted =
              transactions.execute("delete_tenant", () -> persistence.deleteTenant(tenant));
          synchronized (this) {
            removeLocked(tenant);
          }
          return deleted;
        });
  }

  /**
   * A candidate's load of every shard into memory while the previous leader still leads (nodes
   * loaded first), keeping each row's version and the read's snapshot so that the takeover's {@link
   * #loadAll} reads and replaces only the tenants written since. One statement outside any
   * serializable transaction, so it cannot make the leader's abort; nothing acts on this memory
   * before the takeover (the API answers 503, the workers do not poll).
   */
  public int readAhead() {
    TenantShardPersistence.ReadAhead read =
        rowsAhead.take().orElseGet(persistence::listAllVersioned);
    readAhead = loadAhead(read);
    return read.rows().size();
  }

  /** Rows read ahead, into memory, and what that memory now reflects. */
  private ReadAheadState loadAhead(TenantShardPersistence.ReadAhead read) {
    Map<TenantShardId, Long> versions = new HashMap<>(read.rows().size() * 2);
    synchronized (this) {
      for (TenantShardPersistence.Versioned r : read.rows()) {
        load(r.row());
        versions.put(r.row().id(), r.version());
      }
    }
    return new ReadAheadState(versions, read.snapshotXmin());
  }

  /** What the read ahead in memory reflects: each row's version, and the read's snapshot xmin. */
  private record ReadAheadState(Map<TenantShardId, Long> versions, long snapshotXmin) {}

  /**
   * A candidate's last catch-up before it asks the leader to step down: the tenants written since
   * the read ahead are read and replaced in memory now, so that the takeover's load has only the
   * last moment's to replace. Does nothing when rows were deleted meanwhile (the takeover's load
   * finds them).
   */
  public int catchUp() {
    ReadAheadState ahead = readAhead;
    if (ahead == null || ahead.snapshotXmin() == 0) {
      return 0;
    }
    long start = System.nanoTime();
    ReadAheadState caughtUp =
        applyWrittenSince(ahead, persistence.writtenSince(ahead.snapshotXmin()));
    if (caughtUp == null) {
      return 0;
    }
    readAhead = caughtUp;
    log.info(
        "candidate: caught up with the tenants written since the read ahead in {} ms",
        (System.nanoTime() - start) / 1_000_000);
    return caughtUp.versions().size();
  }

  /**
   * The rows written since, applied to memory; null (nothing applied) when the count shows rows
   * deleted since, which leave no version to find.
   */
  private ReadAheadState applyWrittenSince(
      ReadAheadState ahead, TenantShardPersistence.WrittenSince written) {
    Set<TenantId> tenants = new HashSet<>();
    written.rows().forEach(r -> tenants.add(r.row().id().tenantId()));
    Map<TenantShardId, Long> versions = new HashMap<>(ahead.versions().size() * 2);
    ahead
        .versions()
        .forEach(
            (id, version) -> {
              if (!tenants.contains(id.tenantId())) {
                versions.put(id, version);
              }
            });
    if (written.total() != versions.size() + written.rows().size()) {
      return null;
    }
    synchronized (this) {
      tenants.forEach(this::removeLocked);
      for (TenantShardPersistence.Versioned r : written.rows()) {
        load(r.row());
        versions.put(r.row().id(), r.version());
      }
    }
    log.info(
        "replaced {} tenants ({} rows) written since the read ahead",
        tenants.size(),
        written.rows().size());
    return new ReadAheadState(versions, written.snapshotXmin());
  }

  /**
   * The read ahead no longer matches the database in a way the takeover's load cannot patch (a node
   * was deleted since): memory is emptied, and {@link #loadAll} reads everything.
   */
  public synchronized void discardReadAhead() {
    readAhead = null;
    for (TenantShard shard : shards.values()) {
      shard.clearIntent();
    }
    shards.clear();
    holders.clear();
  }

  /**
   * At start-up: every shard (Detached ones too), with the placement it was persisted with. After a
   * read ahead (a candidate's, or the rows a restart read while its context started), only the
   * tenants written since are read and replaced, and the shards deleted since forgotten.
   */
  public int loadAll() {
    ReadAheadState ahead = readAhead;
    readAhead = null;
    if (ahead == null) {
      // A restart: the rows read while the context started (ShardRowsAhead), caught up below as
      // a candidate's read ahead is. Only the first load has them.
      long loading = System.nanoTime();
      ahead = rowsAhead.take().map(this::loadAhead).orElse(null);
      if (ahead != null) {
        log.info(
            "put {} tenant shards read ahead in memory in {} ms",
            ahead.versions().size(),
            (System.nanoTime() - loading) / 1_000_000);
      }
    }
    if (ahead != null) {
      return loadChangedSince(ahead);
    }
    long reading = System.nanoTime();
    List<TenantShardRow> rows = transactions.execute("list_tenant_shards", persistence::listAll);
    long loading = System.nanoTime();
    synchronized (this) {
      Set<TenantShardId> stored = new HashSet<>(rows.size() * 2);
      for (TenantShardRow row : rows) {
        load(row);
        stored.add(row.id());
      }
      // A second load (tests, a repair) forgets the shards deleted since the first.
      forgetAllBut(stored);
    }
    log.info(
        "read {} tenant shards in {} ms; put them in memory in {} ms",
        rows.size(),
        (loading - reading) / 1_000_000,
        (System.nanoTime() - loading) / 1_000_000);
    return rows.size();
  }

  private int loadChangedSince(ReadAheadState ahead) {
    long reading = System.nanoTime();
    if (ahead.snapshotXmin() != 0) {
      // The common case: only rows written since, found by their transaction ids.
      TenantShardPersistence.WrittenSince written =
          transactions.execute(
              "list_tenant_shards", () -> persistence.writtenSince(ahead.snapshotXmin()));
      ReadAheadState loaded = applyWrittenSince(ahead, written);
      if (loaded != null) {
        log.info(
            "loaded the tenant shards written since the read ahead in {} ms",
            (System.nanoTime() - reading) / 1_000_000);
        return shards.size();
      }
      log.info("rows deleted since the read ahead: comparing every row's version");
    }
    TenantShardPersistence.Changes changes =
        transactions.execute(
            "list_tenant_shards", () -> persistence.changedSince(ahead.versions()));
    long loading = System.nanoTime();
    synchronized (this) {
      changes.tenants().forEach(this::removeLocked);
      changes.rows().forEach(this::load);
      forgetAllBut(changes.present());
    }
    log.info(
        "read the {} tenant shards' versions and {} changed rows in {} ms; replaced {} tenants in"
            + " memory in {} ms",
        changes.present().size(),
        changes.rows().size(),
        (loading - reading) / 1_000_000,
        changes.tenants().size(),
        (System.nanoTime() - loading) / 1_000_000);
    return shards.size();
  }

  /** Forgets every shard in memory that {@code stored} does not name (deleted since). */
  private void forgetAllBut(Set<TenantShardId> stored) {
    for (TenantShard gone : List.copyOf(shards.values())) {
      if (!stored.contains(gone.id())) {
        gone.clearIntent();
        shards.remove(gone.id());
        regressions.forget(gone.id());
      }
    }
  }

  /**
   * The tenants with a shard the operation holds, as the index of holders has them (an operation
   * that takes up its work again after a retry finds what it took before).
   */
  public Set<TenantId> tenantsHeldBy(long operationId) {
    Set<TenantId> held = new LinkedHashSet<>();
    for (TenantId tenant : holders.getOrDefault(operationId, Set.of())) {
      if (tenant(tenant).stream().anyMatch(s -> Long.valueOf(operationId).equals(s.heldBy()))) {
        held.add(tenant);
      }
    }
    return held;
  }

  /** Releases every shard the operation holds (it ended); returns how many rows it released. */
  public int releaseHeldBy(long operationId) {
    int[] released = release(operationId, Set.copyOf(holders.getOrDefault(operationId, Set.of())));
    if (released[1] < released[0]) {
      // A holder the index missed: find its shards the slow way rather than leave them held.
      log.warn("operation {}: held shards found outside its index; releasing them", operationId);
      release(operationId, tenantsWhere(v -> Long.valueOf(operationId).equals(v.heldBy())));
    }
    holders.remove(operationId);
    return released[0];
  }

  /** Rows released in the database, shards released in memory. */
  private int[] release(long operationId, Set<TenantId> tenants) {
    return tenantLocks.withAll(
        tenants,
        () -> {
          int rows =
              transactions.execute("release_shards", () -> persistence.releaseHeldBy(operationId));
          int inMemory = 0;
          synchronized (this) {
            for (TenantId tenant : tenants) {
              for (TenantShard shard : range(tenant).values()) {
                if (Long.valueOf(operationId).equals(shard.view().heldBy())) {
                  shard.release();
                  inMemory++;
                }
              }
            }
          }
          if (rows > 0) {
            log.info("operation {} released {} shards", operationId, rows);
          }
          return new int[] {rows, inMemory};
        });
  }

  /** Operations that still hold shards although they are no longer running. */
  public List<Long> finishedHolders() {
    return transactions.execute("finished_holders", persistence::finishedHolders);
  }

  /**
   * A split's commit: in one transaction the tenant's parents give way to {@code children(parents)}
   * (which throws when the split is no longer pending); a repeated commit finds the children and
   * changes nothing. Memory then takes the children, each observed where {@code observed} says.
   */
  public List<TenantShardId> commitSplit(
      TenantId tenant,
      ShardCount newCount,
      Function<List<TenantShardRow>, List<TenantShardRow>> children,
      Function<TenantShardRow, Map<NodeId, LocationConfig>> observed) {
    return tenantLocks.with(
        tenant,
        () -> {
          List<TenantShardRow> rows =
              transactions.execute(
                  "complete_shard_split",
                  () -> {
                    List<TenantShardRow> stored = persistence.loadTenant(tenant);
                    if (isSplitInto(stored, newCount)) {
                      return stored;
                    }
                    List<TenantShardRow> made = children.apply(stored);
                    persistence.deleteShards(tenant, stored.get(0).id().shardCount());
                    persistence.insert(made);
                    return made;
                  });
          synchronized (this) {
            replaceLocked(tenant, newCount, rows, observed);
          }
          return rows.stream().map(TenantShardRow::id).toList();
        });
  }

  /**
   * Undoes a split that has not committed: the parents are idle and released again, in the database
   * and then memory. Finding the children instead means the commit landed: memory takes them.
   */
  public SplitAbortOutcome abortSplit(
      TenantId tenant,
      ShardCount newCount,
      Function<TenantShardRow, Map<NodeId, LocationConfig>> observed) {
    return tenantLocks.with(
        tenant,
        () -> {
          List<TenantShardRow> children = new ArrayList<>();
          SplitAbortOutcome outcome =
              transactions.execute(
                  "abort_shard_split",
                  () -> {
                    children.clear();
                    if (persistence.endSplitting(tenant) > 0) {
                      return SplitAbortOutcome.ROLLED_BACK;
                    }
                    List<TenantShardRow> stored = persistence.loadTenant(tenant);
                    if (newCount != null && isSplitInto(stored, newCount)) {
                      children.addAll(stored);
                      return SplitAbortOutcome.COMMITTED;
                    }
                    return SplitAbortOutcome.NOT_SPLITTING;
                  });
          synchronized (this) {
            if (outcome == SplitAbortOutcome.COMMITTED) {
              replaceLocked(tenant, newCount, children, observed);
            } else {
              for (TenantShard shard : range(tenant).values()) {
                if (shard.view().splitting()) {
                  shard.endSplitting();
                }
              }
            }
          }
          return outcome;
        });
  }

  /**
   * Removes a node from every intended placement and observed state, without rescheduling (the node
   * is being forgotten).
   */
  public int forgetNode(NodeId node) {
    droppedNodes.add(node);
    Set<TenantId> tenants =
        tenantsWhere(s -> s.intendedNodes().contains(node) || s.observed().containsKey(node));
    return tenantLocks.withAll(
        tenants,
        () -> {
          transactions.run("node_drop", () -> persistence.removeFromIntents(node));
          int touched = 0;
          synchronized (this) {
            for (TenantShard shard : shards.values()) {
              if (shard.forgetNode(node)) {
                touched++;
              }
            }
          }
          return touched;
        });
  }

  /** The dropped node's tombstone is gone: it may register and be observed again. */
  public void nodeMayReturn(NodeId node) {
    droppedNodes.remove(node);
  }

  // ---------------------------------------------------------------------------------------------
  // Observed state and reconcile status: memory only.

  /** What a pageserver confirmed holding (Detached: nothing is there any more). */
  public void observed(TenantShardId id, NodeId node, LocationConfig config) {
    live(id)
        .ifPresent(
            s -> {
              // Checked under the shard's lock: forgetNode marks the node dropped before it takes
              // the node out of each shard under the same lock, so no answer can put it back.
              synchronized (s) {
                if (!droppedNodes.contains(node)) {
                  observeReported(s, node, config);
                }
              }
            });
  }

  /**
   * A pageserver asked to validate {@code reported} for the shard: newer than the database's is a
   * regression (see {@link GenerationRegressions}).
   */
  public void generationReported(TenantShardId id, Generation stored, long reported) {
    regressions.check(id, stored, reported, "a pageserver's validate");
  }

  /** Whether a pageserver holds a newer generation of the shard than the database. */
  public boolean generationRegressed(TenantShardId id) {
    return regressions.isRegressed(id);
  }

  /** A call to the node is under way or failed: what it holds is unknown until confirmed again. */
  public void observedUnknown(TenantShardId id, NodeId node) {
    live(id)
        .ifPresent(
            s -> {
              synchronized (s) {
                if (!droppedNodes.contains(node)) {
                  s.observeUnknown(node);
                }
              }
            });
  }

  /** The node certainly holds nothing of the shard. */
  public void observedGone(TenantShardId id, NodeId node) {
    live(id).ifPresent(s -> s.observeGone(node));
  }

  /**
   * A node's full list of locations (a start-up scan): known shards take what it holds; returns the
   * shards it holds that the controller does not know.
   */
  public synchronized List<TenantShardId> observeNode(
      NodeId node, Map<TenantShardId, LocationConfig> held) {
    List<TenantShardId> unknown = new ArrayList<>();
    if (droppedNodes.contains(node)) {
      return unknown;
    }
    held.forEach(
        (id, config) -> {
          TenantShard shard = shards.get(id);
          if (shard == null) {
            unknown.add(id);
          } else {
            observeReported(shard, node, config);
          }
        });
    return unknown;
  }

  /**
   * A previous leader's observed state, by shard, taken into memory as start-up scans of the nodes
   * it names would take their listings ({@link #observeNode} for each): one walk over the shards in
   * memory, each looked up in the snapshot, instead of a lookup here per location (at 48,000
   * locations those lookups were most of a new leader's wait for readiness).
   */
  public synchronized SnapshotApplied observeSnapshot(
      Map<TenantShardId, Map<NodeId, Optional<LocationConfig>>> byShard) {
    Map<NodeId, Integer> known = new HashMap<>();
    int matched = 0;
    for (TenantShard shard : shards.values()) {
      Map<NodeId, Optional<LocationConfig>> locations = byShard.get(shard.id());
      if (locations == null) {
        continue;
      }
      matched++;
      locations.forEach(
          (node, config) -> {
            if (droppedNodes.contains(node)) {
              return;
            }
            if (config.isPresent()) {
              observeReported(shard, node, config.get());
              known.merge(node, 1, Integer::sum);
            } else {
              shard.observeUnknown(node);
            }
          });
    }
    Map<NodeId, List<TenantShardId>> strays = new HashMap<>();
    if (matched < byShard.size()) {
      byShard.forEach(
          (id, locations) -> {
            if (!shards.containsKey(id)) {
              locations.forEach(
                  (node, config) -> {
                    if (config.isPresent() && !droppedNodes.contains(node)) {
                      strays.computeIfAbsent(node, n -> new ArrayList<>()).add(id);
                    }
                  });
            }
          });
    }
    return new SnapshotApplied(known, strays);
  }

  /** A mark to take before listing a node's locations; see {@link #observeWholeNode}. */
  public long observationMark() {
    return ObservedState.now();
  }

  /**
   * A candidate's copy of the leader's observed state, read ahead of its takeover, put in memory so
   * that the takeover's confirmation of the same locations changes nothing: no regression check
   * (the rows in memory may be older than what was observed; the takeover checks), and nothing acts
   * on it before then. Shards it does not know are skipped.
   */
  public synchronized void observeAhead(
      Map<TenantShardId, Map<NodeId, Optional<LocationConfig>>> byShard) {
    byShard.forEach(
        (id, locations) -> {
          TenantShard shard = shards.get(id);
          if (shard != null) {
            locations.forEach(
                (node, config) -> {
                  if (config.isPresent()) {
                    shard.observe(node, config.get());
                  } else {
                    shard.observeUnknown(node);
                  }
                });
          }
        });
  }

  /** Forgets what was observed of these shards, on every node. */
  public synchronized void forgetObserved(Collection<TenantShardId> ids) {
    ids.forEach(id -> live(id).ifPresent(TenantShard::forgetObserved));
  }

  /** Forgets what was observed on this node, of every shard. */
  public synchronized void forgetObservedOn(NodeId node) {
    shards.values().forEach(s -> s.observeGone(node));
  }

  /** Shards whose observed state changed after {@code mark} (of {@link #observationMark}). */
  public List<ShardView> observedChangedSince(long mark) {
    List<ShardView> changed = new ArrayList<>();
    for (TenantShard shard : shards.values()) {
      synchronized (shard) {
        if (shard.observedChangedSince(mark)) {
          changed.add(shard.view());
        }
      }
    }
    return changed;
  }

  /**
   * A node's full list of locations, read when it becomes active again: the shards it lists take
   * what it holds, and every other shard holds nothing there (whatever was thought before). A shard
   * whose observed state changed after {@code mark} (taken before the list was asked for) is left
   * as it is: a writer confirmed something newer than the list while it was on its way. Returns the
   * listed shards the controller does not know.
   */
  public synchronized List<TenantShardId> observeWholeNode(
      NodeId node, Map<TenantShardId, LocationConfig> held, long mark) {
    List<TenantShardId> unknown = new ArrayList<>();
    if (droppedNodes.contains(node)) {
      return unknown;
    }
    held.forEach(
        (id, config) -> {
          TenantShard shard = shards.get(id);
          if (shard == null) {
            unknown.add(id);
          } else {
            synchronized (shard) {
              if (!shard.observedChangedSince(mark)) {
                observeReported(shard, node, config);
              }
            }
          }
        });
    for (TenantShard shard : shards.values()) {
      if (!held.containsKey(shard.id())) {
        synchronized (shard) {
          if (!shard.observedChangedSince(mark)) {
            shard.observeGone(node);
          }
        }
      }
    }
    return unknown;
  }

  /**
   * Whether a pageserver's location of {@code id} is the controller's to keep: the shard is known,
   * or its tenant is splitting (the split's children exist on pageservers before its commit).
   */
  public boolean claims(TenantShardId id) {
    return shard(id).isPresent() || tenant(id.tenantId()).stream().anyMatch(ShardView::splitting);
  }

  /**
   * For every shard, marks unknown the nodes {@code unknown} names (start-up's unscanned nodes).
   */
  public synchronized void markUnknown(Function<ShardView, Collection<NodeId>> unknown) {
    for (TenantShard shard : shards.values()) {
      unknown.apply(shard.view()).forEach(shard::observeUnknown);
    }
  }

  /**
   * The outcome of the shard's last reconcile: null on success, else its error. Either way one more
   * in its run of {@link #consecutiveReconciles}.
   */
  public void recordReconcile(TenantShardId id, String error) {
    live(id).ifPresent(s -> s.recordReconcile(error));
  }

  /**
   * Neon's {@code consecutive_reconciles_count}: how many reconciles of the shard have ended since
   * the sweep last found nothing to do for it (0 for a shard not in memory).
   */
  public int consecutiveReconciles(TenantShardId id) {
    return live(id).map(TenantShard::consecutiveReconciles).orElse(0);
  }

  /** The sweep found nothing to do for the shard: its run of consecutive reconciles ends. */
  public void reconcileSettled(TenantShardId id) {
    live(id).ifPresent(TenantShard::resetConsecutiveReconciles);
  }

  /**
   * Runs {@code work} as the only actor talking to the shard's pageservers: a reconcile, a
   * migration step, a split call. Held across those calls; never around the monitor.
   */
  public <T> T asWriter(TenantShardId id, Supplier<T> work) {
    if (!scanned) {
      // Observed state is empty, not unknown, until the scan: a writer now (a workflow resumed by
      // an external Temporal, say) would act beside locations nobody has asked about yet.
      throw StepFailure.retryLater(
          "NotScanned", id + ": the start-up scan has not heard from every node yet");
    }
    return writers.with(id, work);
  }

  /** Whether a writer is talking to the shard's pageservers right now (or waiting to). */
  public boolean writing(TenantShardId id) {
    return writers.inUse(id);
  }

  /**
   * The start-up scan has heard from (or given up on, marking their shards unknown) every node:
   * writers may act from now on.
   */
  public void scanned() {
    scanned = true;
  }

  // ---------------------------------------------------------------------------------------------
  // Support: the consistency check.

  /**
   * Memory against the database (every shard) and the scheduler's counts against a recount of every
   * intent; an empty list when they agree. The database is read without holding a tenant, so a
   * tenant that differs is read again under its lock: a write committed between the read and the
   * comparison is not a problem, a difference that is still there is.
   */
  public List<String> consistencyProblems() {
    List<TenantShardRow> rows = transactions.execute("list_tenant_shards", persistence::listAll);
    Set<TenantId> differing = new LinkedHashSet<>();
    List<String> problems = new ArrayList<>();
    synchronized (this) {
      Map<TenantShardId, TenantShard> memory = new HashMap<>(shards);
      for (TenantShardRow row : rows) {
        TenantShard shard = memory.remove(row.id());
        if (shard == null || !shard.toRow().equals(row)) {
          differing.add(row.id().tenantId());
        }
      }
      memory.values().stream()
          .filter(s -> !(s.view().policy() instanceof PlacementPolicy.Detached))
          .forEach(s -> differing.add(s.id().tenantId()));
      problems.addAll(
          scheduler.consistencyCheck(shards.values().stream().map(TenantShard::intent).toList()));
    }
    for (TenantId tenant : differing) {
      problems.addAll(tenantLocks.with(tenant, () -> tenantProblems(tenant)));
    }
    return problems;
  }

  /** Under the tenant's lock: its rows against its shards in memory. */
  private List<String> tenantProblems(TenantId tenant) {
    List<TenantShardRow> rows =
        transactions.execute("load_tenant", () -> persistence.loadTenant(tenant));
    List<String> problems = new ArrayList<>();
    synchronized (this) {
      Map<TenantShardId, TenantShard> memory = new HashMap<>(range(tenant));
      for (TenantShardRow row : rows) {
        TenantShard shard = memory.remove(row.id());
        if (shard == null) {
          problems.add("shard " + row.id() + " is in the database but not in memory");
        } else if (!shard.toRow().equals(row)) {
          problems.add(
              "shard " + row.id() + " differs: memory " + shard.toRow() + ", database " + row);
        }
      }
      memory.values().stream()
          .filter(s -> !(s.view().policy() instanceof PlacementPolicy.Detached))
          .forEach(s -> problems.add("shard " + s.id() + " is in memory only"));
    }
    return problems;
  }

  // ---------------------------------------------------------------------------------------------

  /** What a pageserver said it holds, checked against the generation the database gave. */
  private void observeReported(TenantShard shard, NodeId node, LocationConfig config) {
    regressions.check(shard.id(), shard.view().generation(), config.generation(), "node " + node);
    shard.observe(node, config);
  }

  private void refuseIfRegressed(TenantShardId id) {
    if (regressions.isRegressed(id)) {
      throw Refusal.unavailable(
          id
              + ": a pageserver holds a newer generation than the database (generation"
              + " regression); no generation is issued until the database is repaired");
    }
  }

  private <R> R runEdit(TenantEdit draft, Function<TenantEdit, R> edit) {
    try {
      return edit.apply(draft);
    } catch (RuntimeException e) {
      draft.revert();
      throw e;
    }
  }

  /** The write of an edit; on failure the edit's reservations are given back. */
  private void write(TenantEdit edit, String operation, Runnable statements) {
    try {
      transactions.run(operation, statements);
    } catch (RuntimeException e) {
      synchronized (this) {
        edit.revert();
      }
      throw e;
    }
  }

  private static void requireAll(int expected, int found) {
    if (found != expected) {
      // Rolls the transaction back: memory knows shards the database does not.
      throw new IllegalStateException(
          "expected " + expected + " tenant shard rows, found " + found);
    }
  }

  private List<ShardDraft> drafts(Collection<TenantShard> live) {
    List<ShardDraft> drafts = new ArrayList<>(live.size());
    live.forEach(s -> drafts.add(new ShardDraft(s.view(), s.intent())));
    return drafts;
  }

  /** The tenants with a shard the predicate holds for, from their views (no lock). */
  private Set<TenantId> tenantsWhere(Predicate<ShardView> predicate) {
    Set<TenantId> tenants = new LinkedHashSet<>();
    for (TenantShard shard : shards.values()) {
      if (predicate.test(shard.view())) {
        tenants.add(shard.id().tenantId());
      }
    }
    return tenants;
  }

  private Optional<TenantShard> live(TenantShardId id) {
    return Optional.ofNullable(shards.get(id));
  }

  /** Puts a row in memory with the placement it was persisted with. */
  private void load(TenantShardRow row) {
    IntentState intent = TenantShard.emptyIntent(row, scheduler);
    // Rows written before intents were stored name only the node the generation went to; only an
    // Attached policy wants it back there (a Detached shard keeps its generation's node too).
    NodeId attached =
        row.intendedAttached() != null
            ? row.intendedAttached()
            : row.placementPolicy() instanceof PlacementPolicy.Attached
                ? row.generationPageserver()
                : null;
    // A node deleted since the row was written is no placement: the shard gets rescheduled.
    if (attached != null && scheduler.node(attached).isPresent()) {
      intent.setAttached(attached);
    }
    for (NodeId secondary : row.intendedSecondaries()) {
      if (!secondary.equals(intent.attached()) && scheduler.node(secondary).isPresent()) {
        intent.addSecondary(secondary);
      }
    }
    TenantShard previous = shards.put(row.id(), new TenantShard(row, intent, waits));
    noteHolder(row.id(), row.heldBy());
    if (previous != null) {
      previous.clearIntent();
    }
  }

  private void noteHolder(TenantShardId id, Long operation) {
    if (operation != null) {
      holders.computeIfAbsent(operation, o -> ConcurrentHashMap.newKeySet()).add(id.tenantId());
    }
  }

  private void removeLocked(TenantId tenant) {
    for (TenantShard shard : List.copyOf(range(tenant).values())) {
      shard.clearIntent();
      shards.remove(shard.id());
      regressions.forget(shard.id());
    }
  }

  /** Memory follows a committed split (unless it already has): the children replace the tenant. */
  private void replaceLocked(
      TenantId tenant,
      ShardCount newCount,
      List<TenantShardRow> children,
      Function<TenantShardRow, Map<NodeId, LocationConfig>> observed) {
    Collection<TenantShard> current = range(tenant).values();
    if (!current.isEmpty()
        && current.stream().allMatch(s -> s.id().shardCount().equals(newCount))) {
      return;
    }
    removeLocked(tenant);
    for (TenantShardRow row : children) {
      load(row);
      observed.apply(row).forEach(shards.get(row.id())::observe);
    }
  }

  private static boolean isSplitInto(List<TenantShardRow> rows, ShardCount newCount) {
    return !rows.isEmpty()
        && rows.stream().allMatch(r -> r.id().shardCount().equals(newCount) && !r.splitting());
  }

  private NavigableMap<TenantShardId, TenantShard> range(TenantId tenant) {
    return shards.subMap(lowerBound(tenant), true, upperBound(tenant), true);
  }

  private static TenantShardId lowerBound(TenantId tenant) {
    return new TenantShardId(tenant, ShardNumber.of(0), ShardCount.of(0));
  }

  private static TenantShardId upperBound(TenantId tenant) {
    return new TenantShardId(tenant, ShardNumber.of(255), ShardCount.of(255));
  }
}
