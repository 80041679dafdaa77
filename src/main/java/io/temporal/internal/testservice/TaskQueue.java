package io.temporal.internal.testservice;

import com.google.common.base.Preconditions;
import io.temporal.api.common.v1.Priority;
import java.util.Comparator;
import java.util.LinkedList;
import java.util.PriorityQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.annotation.Nonnull;

/*
 * storage_controller: a copy of temporal-testing 1.38.0's TaskQueue (Apache License 2.0, Temporal
 * Technologies) that shadows it on the classpath, changed in one respect: tasks of equal priority
 * are served first in, first out. The original orders its backlog by priority key alone in a
 * PriorityQueue, which with equal keys hands out the newest task first; under a sustained load of
 * tenant creates the in-process service's workflow task queue then starved some reconciles for
 * 30-60 s (the benchmark's sustained-load phase). TaskQueueFifoTest fails if the SDK's
 * class is loaded instead of this one, or if the order changes; upstream still has the original.
 */

/**
 * A specialized unbounded queue that requires blocking poll operations to happen through a Future
 * so that they can be cancelled (i.e. cancelling the future breaks out of the poll via a
 * j.u.c.CancellationException).
 *
 * @param <E>
 */
class TaskQueue<E> {
  private static class TaskQueueElement<E> {
    private final E value;
    private final Priority priority;
    private final long sequence = NEXT_SEQUENCE.getAndIncrement();

    TaskQueueElement(E value, Priority priority) {
      this.value = value;
      // TODO(Quinn): make this configurable
      this.priority =
          priority == Priority.getDefaultInstance()
              ? Priority.newBuilder().setPriorityKey(3).build()
              : priority;
    }

    TaskQueueElement(E value) {
      this.value = value;
      this.priority = Priority.newBuilder().setPriorityKey(3).build();
    }

    public E getValue() {
      return value;
    }

    public Priority getPriority() {
      return priority;
    }
  }

  private static final AtomicLong NEXT_SEQUENCE = new AtomicLong();

  private final PriorityQueue<TaskQueueElement<E>> backlog =
      new PriorityQueue<>(
          Comparator.<TaskQueueElement<E>>comparingInt(o -> o.getPriority().getPriorityKey())
              .thenComparingLong(o -> o.sequence));
  private final LinkedList<PollFuture> waiters = new LinkedList<>();

  /**
   * Adds the provided element to the queue at the default priority.
   *
   * @param element the value to add
   */
  synchronized void add(E element) {
    for (PollFuture future = waiters.poll(); future != null; future = waiters.pop()) {
      if (future.set(element)) {
        return;
      }
    }
    backlog.add(new TaskQueueElement<>(element));
  }

  /**
   * Adds the provided element to the queue at the given priority.
   *
   * @param element the value to add
   * @param priority the priority of the element
   */
  synchronized void add(E element, Priority priority) {
    for (PollFuture future = waiters.poll(); future != null; future = waiters.pop()) {
      if (future.set(element)) {
        return;
      }
    }
    backlog.add(new TaskQueueElement<>(element, priority));
  }

  /**
   * Creates a new j.u.c.Future whose get() method will eventually return a value from the head of
   * this queue. Note that failing to call get() on the returned Future can result in missed queue
   * updates.
   *
   * @return a Future providing one-shot access to the head of this queue.
   */
  synchronized Future<E> poll() {
    final PollFuture future = new PollFuture();
    E element;
    synchronized (this) {
      if (backlog.isEmpty()) {
        waiters.push(future);
        return future;
      }
      element = backlog.poll().getValue();
    }
    future.set(element);
    return future;
  }

  /**
   * A Future implementation specifically for consuming from the enclosing TaskQueue type. The get
   * method on this class blocks until a value is available from the queue but unlike
   * BlockingQueue#take, a blocked consumer can be "interrupted" without the use of thread
   * interruption by calling #cancel() on this Future.
   */
  private class PollFuture implements Future<E> {
    boolean cancelled = false;
    E value;

    private synchronized boolean set(E element) {
      Preconditions.checkState(value == null);
      if (cancelled) {
        return false;
      }
      value = element;
      notifyAll();
      return true;
    }

    @Override
    public boolean cancel(boolean ignored) {
      synchronized (TaskQueue.this) {
        TaskQueue.this.waiters.remove(this);
      }
      synchronized (this) {
        if (value != null) {
          return false;
        }
        cancelled = true;
        notifyAll();
        return true;
      }
    }

    @Override
    public synchronized boolean isCancelled() {
      return cancelled;
    }

    @Override
    public synchronized boolean isDone() {
      return value != null;
    }

    @Override
    public synchronized E get() throws InterruptedException, ExecutionException {
      while (value == null && !cancelled) {
        this.wait();
      }
      if (cancelled) {
        throw new CancellationException();
      }
      return value;
    }

    @Override
    public synchronized E get(long timeout, @Nonnull TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException {
      while (value == null && !cancelled) {
        unit.timedWait(this, timeout);
      }
      if (cancelled) {
        throw new CancellationException();
      }
      return value;
    }
  }
}
