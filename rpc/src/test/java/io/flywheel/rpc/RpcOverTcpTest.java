package io.flywheel.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.model.AttributeValue;
import io.flywheel.model.ConditionalCheckFailedException;
import io.flywheel.model.PrimaryKey;
import io.flywheel.protocol.PartitionDescriptor;
import io.flywheel.protocol.PartitionRef;
import io.flywheel.protocol.RangeReadResult;
import io.flywheel.protocol.ReadRequest;
import io.flywheel.protocol.ReadResult;
import io.flywheel.protocol.RoutingException;
import io.flywheel.protocol.wire.StorageNodeMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The RPC endpoint over real TCP connections on loopback: answers and typed failures cross the
 * wire, deadlines hold with real time, the in-flight bound refuses, and a peer that restarts while
 * a call waits makes the call fail retryably (never hang) while later calls reach the new process.
 */
class RpcOverTcpTest {
  static final long CLIENT = 1;
  static final long SERVER = 2;

  final TcpNodes nodes = new TcpNodes();

  @AfterEach
  void stop() {
    nodes.close();
  }

  static ReadRequest aRead(String key) {
    return new ReadRequest(new PartitionRef(5, 3), 9, new PrimaryKey(AttributeValue.s(key), null), true);
  }

  /** A server answering reads with the key as the image and failing the ones asked to. */
  TcpNodes.Node server(RpcConfig config) {
    TcpNodes.Node node = nodes.start(SERVER, config);
    node.endpoint().serve(StorageNodeMessages.READ, q -> {
      String key = ((AttributeValue.S) q.key().partition()).value();
      return switch (key) {
        case "hang" -> new CompletableFuture<>();
        case "fail" -> CompletableFuture.failedFuture(new ConditionalCheckFailedException(Map.of("pk", AttributeValue.s("fail"))));
        case "moved" -> CompletableFuture.failedFuture(
            new RoutingException.WrongPartition(q.partition(), new PartitionDescriptor(5, 9, 0, 10, 4, List.of(2L))));
        default -> CompletableFuture.completedFuture(new ReadResult(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      };
    });
    node.endpoint().serve(StorageNodeMessages.READ_RANGE, q -> {
      List<byte[]> images = new ArrayList<>();
      for (int i = 0; i < q.limit(); i++) {
        images.add(new byte[1024]);
      }
      return CompletableFuture.completedFuture(new RangeReadResult(images, q.limit(), 1024L * q.limit(), null));
    });
    return node;
  }

  @Test
  void callsAndTypedFailuresCrossTheWire() {
    server(RpcConfig.defaults());
    RpcEndpoint client = nodes.start(CLIENT, RpcConfig.defaults()).endpoint();
    List<CompletableFuture<ReadResult>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      calls.add(client.call(SERVER, StorageNodeMessages.READ, aRead("k" + i)));
    }
    for (int i = 0; i < 200; i++) {
      assertThat(new String(Await.value(calls.get(i)).image(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("k" + i);
    }
    assertThat(Await.failure(client.call(SERVER, StorageNodeMessages.READ, aRead("fail"))))
        .isInstanceOfSatisfying(ConditionalCheckFailedException.class, e -> assertThat(e.item()).containsKey("pk"));
    assertThat(Await.failure(client.call(SERVER, StorageNodeMessages.READ, aRead("moved"))))
        .isInstanceOfSatisfying(RoutingException.WrongPartition.class, e -> assertThat(e.current().epoch()).isEqualTo(4));
  }

  @Test
  void aLargeAnswerArrivesWhole() {
    server(RpcConfig.defaults());
    RpcEndpoint client = nodes.start(CLIENT, RpcConfig.defaults()).endpoint();
    var range = new io.flywheel.protocol.RangeReadRequest(new PartitionRef(1, 1), 9, new byte[] {1}, new byte[] {2}, false, 1024,
        1 << 20, null, false);
    RangeReadResult result = Await.value(client.call(SERVER, StorageNodeMessages.READ_RANGE, range));
    assertThat(result.images()).hasSize(1024);
    assertThat(result.evaluatedBytes()).isEqualTo(1024L * 1024);
  }

  @Test
  void aCallNobodyAnswersTimesOutWithRealTime() {
    server(RpcConfig.defaults());
    RpcEndpoint client = nodes.start(CLIENT, RpcConfig.defaults().withCallTimeoutNanos(TimeUnit.MILLISECONDS.toNanos(300))).endpoint();
    long start = System.nanoTime();
    Throwable failure = Await.failure(client.call(SERVER, StorageNodeMessages.READ, aRead("hang")));
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(failure).isInstanceOf(RpcException.Timeout.class);
    assertThat(tookMillis).isGreaterThanOrEqualTo(300);
    assertThat(client.inFlight(SERVER)).isZero();
  }

  @Test
  void theInFlightBoundRefusesRetryablyOverTcpToo() {
    server(RpcConfig.defaults());
    RpcEndpoint client = nodes.start(CLIENT, RpcConfig.defaults().withInFlightCallsMaxPerPeer(3)).endpoint();
    for (int i = 0; i < 3; i++) {
      client.call(SERVER, StorageNodeMessages.READ, aRead("hang"));
    }
    Throwable refused = Await.failure(client.call(SERVER, StorageNodeMessages.READ, aRead("k")));
    assertThat(refused).isInstanceOfSatisfying(RpcException.Overloaded.class, e -> assertThat(e.retryable()).isTrue());
    assertThat(client.inFlight(SERVER)).isEqualTo(3);
  }

  @Test
  void aPeerThatRestartsMidCallFailsTheCallRetryablyAndServesTheNextOne() {
    TcpNodes.Node first = server(RpcConfig.defaults());
    RpcEndpoint client = nodes.start(CLIENT, RpcConfig.defaults().withCallTimeoutNanos(TimeUnit.SECONDS.toNanos(2))).endpoint();
    assertThat(Await.value(client.call(SERVER, StorageNodeMessages.READ, aRead("warm-up"))).image()).isNotNull();
    CompletableFuture<ReadResult> waiting = client.call(SERVER, StorageNodeMessages.READ, aRead("hang"));
    Await.until("the server to hold the call", () -> first.endpoint().stats().requestsServed() == 2);
    first.close(); // the process dies with the call
    server(RpcConfig.defaults()); // and comes back on the same port, knowing nothing of it
    Throwable failure = Await.failure(waiting);
    assertThat(failure).isInstanceOf(RpcException.class);
    assertThat(((RpcException) failure).retryable()).isTrue();
    assertThat(RemoteStorageNode.translate(SERVER, failure)).isInstanceOfSatisfying(RoutingException.Unreachable.class,
        e -> assertThat(e.requestSent()).isTrue());
    assertThat(new String(Await.value(client.call(SERVER, StorageNodeMessages.READ, aRead("again"))).image(),
        java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("again");
    assertThat(client.inFlight(SERVER)).isZero();
  }

  @Test
  void theRemoteStorageNodeMapsOverloadToThrottlingAsALocalNodeDoes() {
    server(RpcConfig.defaults());
    RpcEndpoint client = nodes.start(CLIENT, RpcConfig.defaults().withInFlightCallsMaxPerPeer(1)).endpoint();
    RemoteStorageNode remote = new RemoteStorageNode(SERVER, client);
    remote.read(aRead("hang"));
    Throwable throttled = Await.failure(remote.read(aRead("k")));
    assertThat(throttled).isInstanceOfSatisfying(io.flywheel.model.DynamoException.class,
        e -> assertThat(e.code()).isEqualTo(io.flywheel.model.ErrorCode.THROTTLING));
    assertThat(Await.failure(remote.stats(new PartitionRef(1, 1), 1))).isInstanceOfSatisfying(io.flywheel.model.DynamoException.class,
        e -> assertThat(e.code()).isEqualTo(io.flywheel.model.ErrorCode.THROTTLING));
  }
}
