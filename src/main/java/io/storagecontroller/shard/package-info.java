/**
 * The one owner of tenant shard state.
 *
 * <p>{@link io.storagecontroller.shard.ShardStore} is the only code that writes a shard's intent
 * (intended attached node and secondaries, preferred AZ), its placement and scheduling policy and
 * config, its generation, the operation holding it, and what pageservers were observed to hold. The
 * {@code tenant_shards} table is written only by {@link
 * io.storagecontroller.shard.TenantShardPersistence}, which only the store calls. Durable changes
 * go to PostgreSQL first (SERIALIZABLE transactions) and then to memory, in the store; everyone
 * else reads immutable {@link io.storagecontroller.shard.ShardView}s and asks the store for
 * changes.
 *
 * <h2>Who may change a shard right now</h2>
 *
 * A shard with no holder belongs to the reconciler: its pageservers are driven towards its intent
 * by the tenant's reconcile and the periodic sweep. A shard whose {@code held_by} names an
 * operation (a live migration, a split, a drain or fill) belongs to that operation, which alone
 * moves it; the reconciler leaves it alone. The hold is persisted with the shard, released when the
 * operation ends however it ends, and the control loop releases a hold whose operation is over. One
 * exception: the evacuation of a failed node moves every intent off it, held or not (a shard must
 * not stay on a dead node); the holder's next steps find the intent or generation moved on.
 *
 * <h2>Lock order</h2>
 *
 * Take locks only in this order; never take an earlier one while holding a later one.
 *
 * <ol>
 *   <li><b>Shard writer</b> ({@code ShardStore.asWriter}, one per shard): the one actor talking to
 *       a shard's pageservers. Held across pageserver calls and the database writes they need.
 *   <li><b>Tenant lock</b> (one per tenant, taken inside the store): serialises every durable
 *       change of a tenant's rows, so memory takes them in the order the database committed them.
 *       Held across the database transaction, never across a pageserver call. Several tenants are
 *       locked in tenant id order.
 *   <li><b>Store monitor</b> (the service lock, {@code synchronized} on the store): guards the
 *       in-memory shards while a view is taken, an edit plans or a committed change is applied.
 *       Never held across a database or network call. Only {@code ShardStore} takes it.
 *   <li><b>Beside the store</b>: the node registry's lock ({@code NodeService}), which serialises
 *       changes of the node set across a node row's write; it is never taken under the store's
 *       monitor, nor the store's under it.
 *   <li><b>Innermost</b>: the scheduler's monitor, taken by the store and the node registry to move
 *       counts; it calls nothing that locks. Beside it, a tenant's waiters' monitor ({@code
 *       TenantChangeWaits}), taken by a shard as it publishes a new view, to count the change and
 *       wake whoever waits on the tenant; it calls nothing that locks either.
 * </ol>
 */
package io.storagecontroller.shard;
