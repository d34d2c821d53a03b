package io.flywheel.protocol.wire;

import static io.flywheel.protocol.wire.StorageNodeMessagesTest.V1;
import static io.flywheel.protocol.wire.StorageNodeMessagesTest.assertRoundTrips;
import static io.flywheel.protocol.wire.StorageNodeMessagesTest.decode;
import static io.flywheel.protocol.wire.StorageNodeMessagesTest.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.base.CorruptDataException;
import io.flywheel.model.KeyAttribute;
import io.flywheel.model.KeySchema;
import io.flywheel.model.ScalarType;
import io.flywheel.protocol.AttributeDefinition;
import io.flywheel.protocol.BillingMode;
import io.flywheel.protocol.CreateTableSpec;
import io.flywheel.protocol.IndexDescriptor;
import io.flywheel.protocol.IndexStatus;
import io.flywheel.protocol.ProjectionType;
import io.flywheel.protocol.ProvisionedThroughput;
import io.flywheel.protocol.TableDescriptor;
import io.flywheel.protocol.TableStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Metadata requests and answers round-trip, decode strictly, and have their own kinds. */
class MetadataMessagesTest {
  static final KeySchema HASH_RANGE = new KeySchema(new KeyAttribute("pk", ScalarType.S), new KeyAttribute("sk", ScalarType.N));
  static final CreateTableSpec.IndexSpec GSI = new CreateTableSpec.IndexSpec("by-status", true,
      new KeySchema(new KeyAttribute("status", ScalarType.S), null), ProjectionType.INCLUDE, List.of("amount", "note"), 5, 7);
  static final CreateTableSpec.IndexSpec LSI = new CreateTableSpec.IndexSpec("by-b", false,
      new KeySchema(new KeyAttribute("pk", ScalarType.S), new KeyAttribute("b", ScalarType.B)), ProjectionType.KEYS_ONLY, List.of(), 0, 0);
  static final List<AttributeDefinition> DEFS = List.of(new AttributeDefinition("pk", ScalarType.S),
      new AttributeDefinition("sk", ScalarType.N), new AttributeDefinition("status", ScalarType.S), new AttributeDefinition("b", ScalarType.B));

  static TableDescriptor table(RandomMessages random, String name) {
    IndexDescriptor gsi = new IndexDescriptor("by-status", random.anyLong(), true, GSI.keySchema(), ProjectionType.INCLUDE,
        List.of("amount"), IndexStatus.CREATING, true, ProvisionedThroughput.ON_DEMAND, List.of(random.descriptor()));
    return new TableDescriptor(random.anyLong(), "uuid-" + name, name, HASH_RANGE, DEFS, BillingMode.PAY_PER_REQUEST,
        ProvisionedThroughput.ON_DEMAND, 1_700_000_000_000L, 0, TableStatus.ACTIVE, List.of(random.descriptor(), random.descriptor()),
        List.of(gsi));
  }

  static List<Object[]> samples(RandomMessages random) {
    List<Object[]> s = new ArrayList<>();
    s.add(new Object[] {MetadataMessages.CREATE_TABLE, new CreateTableSpec("orders", HASH_RANGE, DEFS, BillingMode.PROVISIONED, 5, 10,
        List.of(GSI, LSI)), table(random, "orders")});
    s.add(new Object[] {MetadataMessages.CREATE_TABLE, new CreateTableSpec("plain", new KeySchema(new KeyAttribute("pk", ScalarType.N), null),
        List.of(new AttributeDefinition("pk", ScalarType.N)), BillingMode.PAY_PER_REQUEST, 0, 0, List.of()), table(random, "plain")});
    s.add(new Object[] {MetadataMessages.DELETE_TABLE, new MetadataMessages.DeleteTable("orders"), table(random, "orders")});
    s.add(new Object[] {MetadataMessages.UPDATE_BILLING, new MetadataMessages.UpdateBilling("orders", BillingMode.PROVISIONED, 3, 4),
        table(random, "orders")});
    s.add(new Object[] {MetadataMessages.CREATE_GLOBAL_INDEX, new MetadataMessages.CreateGlobalIndex("orders", GSI, DEFS),
        table(random, "orders")});
    s.add(new Object[] {MetadataMessages.DELETE_GLOBAL_INDEX, new MetadataMessages.DeleteGlobalIndex("orders", "by-status"),
        table(random, "orders")});
    s.add(new Object[] {MetadataMessages.UPDATE_GLOBAL_INDEX_THROUGHPUT,
        new MetadataMessages.UpdateGlobalIndexThroughput("orders", "by-status", 8, 9), table(random, "orders")});
    s.add(new Object[] {MetadataMessages.CATALOG, null, List.of(table(random, "a"), table(random, "b"))});
    s.add(new Object[] {MetadataMessages.CATALOG, null, List.of()});
    return s;
  }

  @Test
  void everyRequestAndAnswerRoundTripsAndTruncationsAreCorrupt() {
    StorageNodeMessagesTest.forSeeds(random -> {
      for (Object[] sample : samples(random)) {
        RpcMethod<?, ?> method = (RpcMethod<?, ?>) sample[0];
        assertRoundTrips(method.request(), sample[1]);
        assertRoundTrips(method.response(), sample[2]);
        byte[] bytes = encode(method.response(), sample[2], V1);
        for (int cut = 0; cut < bytes.length; cut += Math.max(1, bytes.length / 7)) {
          byte[] truncated = Arrays.copyOf(bytes, cut);
          assertThatThrownBy(() -> decode(method.response(), truncated, V1)).isInstanceOf(CorruptDataException.class);
        }
      }
    });
  }

  @Test
  void unknownVersionsAndEnumOrdinalsAreCorrupt() {
    byte[] request = encode(MetadataMessages.UPDATE_BILLING.request(), new MetadataMessages.UpdateBilling("t", BillingMode.PROVISIONED, 1, 2), V1);
    assertThatThrownBy(() -> decode(MetadataMessages.UPDATE_BILLING.request(), request, V1 + 1)).isInstanceOf(CorruptDataException.class);
    request[request.length - 17] = 9; // the billing mode's ordinal
    assertThatThrownBy(() -> decode(MetadataMessages.UPDATE_BILLING.request(), request, V1)).isInstanceOf(CorruptDataException.class);
  }

  @Test
  void metadataKindsAreTheirOwnAndInTheMetadataRange() {
    for (RpcMethod<?, ?> m : MetadataMessages.ALL) {
      assertThat(m.kind().code()).isBetween(0x0200, 0x02FF);
      assertThat(MessageKind.of(m.kind().code())).isSameAs(m.kind());
    }
    assertThat(MetadataMessages.ALL.stream().map(RpcMethod::kind).distinct()).hasSize(MetadataMessages.ALL.size());
  }
}
