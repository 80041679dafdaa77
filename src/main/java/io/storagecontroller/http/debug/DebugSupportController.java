package io.storagecontroller.http.debug;

import io.storagecontroller.compute.ComputeNotifications;
import io.storagecontroller.debug.AttachHook;
import io.storagecontroller.debug.AttachHookRequest;
import io.storagecontroller.debug.AttachHookResponse;
import io.storagecontroller.debug.InspectRequest;
import io.storagecontroller.debug.InspectResponse;
import io.storagecontroller.debug.TenantLocateResponse;
import io.storagecontroller.debug.TenantLocator;
import io.storagecontroller.debug.TenantShardDump;
import io.storagecontroller.debug.UncleanDrops;
import io.storagecontroller.http.NullBody;
import io.storagecontroller.http.RequestName;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeDescribeResponse;
import io.storagecontroller.shard.ShardStore;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The support half of {@code /debug/v1} (contract section 2.5): the generation test API, the
 * in-memory tenant dump, unclean drops and node tombstones.
 */
@RestController
public class DebugSupportController {
  private final AttachHook attachHook;
  private final UncleanDrops drops;
  private final ShardStore store;
  private final ComputeNotifications notifications;
  private final TenantLocator locator;

  public DebugSupportController(
      AttachHook attachHook,
      UncleanDrops drops,
      ShardStore store,
      ComputeNotifications notifications,
      TenantLocator locator) {
    this.notifications = notifications;
    this.locator = locator;
    this.attachHook = attachHook;
    this.drops = drops;
    this.store = store;
  }

  @PostMapping("/debug/v1/attach-hook")
  @RequestName("debug_v1_attach_hook")
  AttachHookResponse attachHook(@RequestBody AttachHookRequest request) {
    return attachHook.attach(request);
  }

  @PostMapping("/debug/v1/inspect")
  @RequestName("debug_v1_inspect")
  InspectResponse inspect(@RequestBody InspectRequest request) {
    return attachHook.inspect(request);
  }

  /** Every tenant shard in memory, in shard order. */
  @GetMapping("/debug/v1/tenant")
  @RequestName("debug_v1_tenant")
  List<TenantShardDump> tenants() {
    return store.all().stream()
        .map(s -> TenantShardDump.of(s, notifications.isPending(s.id().tenantId())))
        .toList();
  }

  /** Where a compute connects for each shard: 404 unknown tenant, 400 a shard not attached. */
  @GetMapping("/debug/v1/tenant/{tenant_id}/locate")
  @RequestName("debug_v1_tenant_locate")
  TenantLocateResponse locate(@PathVariable("tenant_id") TenantId tenant) {
    return locator.locate(tenant);
  }

  @PostMapping("/debug/v1/tenant/{tenant_id}/drop")
  @RequestName("debug_v1_tenant_drop")
  ResponseEntity<String> dropTenant(@PathVariable("tenant_id") TenantId tenant) {
    drops.dropTenant(tenant);
    return NullBody.ok();
  }

  @PostMapping("/debug/v1/node/{node_id}/drop")
  @RequestName("debug_v1_node_drop")
  ResponseEntity<String> dropNode(@PathVariable("node_id") NodeId node) {
    drops.dropNode(node);
    return NullBody.ok();
  }

  @GetMapping("/debug/v1/tombstone")
  @RequestName("debug_v1_tombstone_list")
  List<NodeDescribeResponse> tombstones() {
    return drops.tombstones().stream().map(Node::describe).toList();
  }

  @DeleteMapping("/debug/v1/tombstone/{node_id}")
  @RequestName("debug_v1_tombstone_delete")
  ResponseEntity<String> deleteTombstone(@PathVariable("node_id") NodeId node) {
    drops.deleteTombstone(node);
    return NullBody.ok();
  }
}
