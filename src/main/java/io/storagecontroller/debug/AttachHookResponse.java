package io.storagecontroller.debug;

import io.storagecontroller.model.Generation;

/** {@code {"gen": u32|null}}: the generation issued, null after a detach. */
public record AttachHookResponse(Generation gen) {}
