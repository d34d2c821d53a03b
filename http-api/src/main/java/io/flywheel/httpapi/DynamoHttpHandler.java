package io.flywheel.httpapi;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.flywheel.httpapi.auth.Principal;
import io.flywheel.httpapi.auth.SigV4Verifier;
import io.flywheel.httpapi.auth.SignedRequest;
import io.flywheel.httpapi.json.AttributeValueJson;
import io.flywheel.httpapi.json.Constraints;
import io.flywheel.httpapi.json.ShapeParser;
import io.flywheel.model.CancellationReason;
import io.flywheel.model.ConditionalCheckFailedException;
import io.flywheel.model.DynamoException;
import io.flywheel.model.ErrorCode;
import io.flywheel.model.TransactionCanceledException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves one DynamoDB request per full HTTP request. Shared by all connections (stateless). */
@ChannelHandler.Sharable
final class DynamoHttpHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(DynamoHttpHandler.class);
  private static final String TARGET_PREFIX = "DynamoDB_20120810.";
  private static final String AMZ_JSON = "application/x-amz-json-1.0";
  private static final byte[] HEALTHY = "healthy: dynamodb.us-east-1.amazonaws.com ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] UNKNOWN_OPERATION_XML = "<UnknownOperationException/>\n".getBytes(StandardCharsets.US_ASCII);

  private final Operations operations;
  private final SigV4Verifier verifier;
  private final JsonFactory json;
  private final String requestIdPrefix;
  private final AtomicLong requestCounter = new AtomicLong();
  private final String defaultRegion;

  DynamoHttpHandler(Operations operations, SigV4Verifier verifier, JsonFactory json, String requestIdPrefix, String defaultRegion) {
    this.operations = operations;
    this.verifier = verifier;
    this.json = json;
    this.requestIdPrefix = requestIdPrefix;
    this.defaultRegion = defaultRegion;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof BoundedBodyAggregator.Oversized oversized) {
      HttpRequest request = oversized.request();
      respondError(ctx, HttpUtil.isKeepAlive(request), newRequestId(), AMZ_JSON,
          new DynamoException(ErrorCode.REQUEST_TOO_LARGE, "Request size exceeded the maximum allowed size"));
      return;
    }
    if (!(msg instanceof FullHttpRequest request)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      serve(ctx, request);
    } finally {
      request.release();
    }
  }

  private String newRequestId() {
    String n = Long.toString(requestCounter.incrementAndGet(), 36).toUpperCase(java.util.Locale.ROOT);
    StringBuilder id = new StringBuilder(52).append(requestIdPrefix);
    for (int i = id.length() + n.length(); i < 52; i++) {
      id.append('0');
    }
    return id.append(n).toString();
  }

  private void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
    String requestId = newRequestId();
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (request.decoderResult().isFailure()) {
      respondRaw(ctx, false, requestId, HttpResponseStatus.BAD_REQUEST, "text/plain", new byte[0], null);
      return;
    }
    HttpHeaders headers = request.headers();
    String origin = headers.get(HttpHeaderNames.ORIGIN);
    if (request.method().equals(HttpMethod.OPTIONS) && origin != null) {
      respondPreflight(ctx, keepAlive, requestId, headers);
      return;
    }
    if (request.method().equals(HttpMethod.GET)) {
      respondRaw(ctx, keepAlive, requestId, HttpResponseStatus.OK, "text/plain", HEALTHY, origin);
      return;
    }
    String contentType = mediaType(headers.get(HttpHeaderNames.CONTENT_TYPE));
    boolean hasBody = request.content().isReadable();
    if (!request.method().equals(HttpMethod.POST)
        || (hasBody && !contentType.equals(AMZ_JSON) && !contentType.equals("application/json"))) {
      respondRaw(ctx, keepAlive, requestId, HttpResponseStatus.NOT_FOUND, "application/xml", UNKNOWN_OPERATION_XML, origin);
      return;
    }
    String responseType = contentType.equals("application/json") ? "application/json" : AMZ_JSON;
    byte[] body = new byte[request.content().readableBytes()];
    request.content().getBytes(request.content().readerIndex(), body);
    CompletableFuture<JsonResponse> result;
    try {
      result = dispatch(request, headers, body);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    java.util.function.BiConsumer<JsonResponse, Throwable> reply = (response, error) -> {
      if (error == null) {
        respondJson(ctx, keepAlive, requestId, responseType, origin, response);
      } else {
        respondError(ctx, keepAlive, requestId, responseType, toDynamo(error));
      }
    };
    if (result.isDone() && ctx.executor().inEventLoop()) {
      result.whenComplete(reply);
    } else {
      result.whenCompleteAsync(reply, ctx.executor());
    }
  }

  private CompletableFuture<JsonResponse> dispatch(FullHttpRequest request, HttpHeaders headers, byte[] body) {
    String target = headers.get("X-Amz-Target");
    Operations.Operation op = null;
    if (target != null && target.startsWith(TARGET_PREFIX)) {
      op = operations.get(target.substring(TARGET_PREFIX.length()));
    }
    if (op == null) {
      // DynamoDB parses the body before it resolves the target: malformed JSON wins.
      checkJsonSyntax(body);
      throw new DynamoException(ErrorCode.UNKNOWN_OPERATION, null);
    }
    Principal principal = verifier.verify(signedRequest(request, headers, body));
    Map<String, Object> input;
    try (JsonParser parser = json.createParser(body)) {
      input = ShapeParser.parseBody(parser, op.input());
    } catch (IOException e) {
      throw DynamoException.serialization(null);
    }
    Constraints.validate(input, op.input());
    String region = principal.region() == null || principal.region().isEmpty() ? defaultRegion : principal.region();
    return op.handler().handle(input, new CallContext(region, principal.accountId()));
  }

  private void checkJsonSyntax(byte[] body) {
    try (JsonParser parser = json.createParser(body)) {
      while (parser.nextToken() != null) {
        parser.skipChildren();
      }
    } catch (IOException e) {
      throw DynamoException.serialization(null);
    }
  }

  private static SignedRequest signedRequest(FullHttpRequest request, HttpHeaders headers, byte[] body) {
    String uri = request.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    String query = q < 0 ? "" : uri.substring(q + 1);
    List<Map.Entry<String, String>> list = new ArrayList<>(headers.size());
    for (Map.Entry<String, String> h : headers) {
      list.add(h);
    }
    return new SignedRequest(request.method().name(), path, query, list, body);
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
  }

  private static DynamoException toDynamo(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof DynamoException d) {
      return d;
    }
    LOG.error("internal error serving a request", cause);
    return new DynamoException(ErrorCode.INTERNAL_SERVER_ERROR, "Internal server error");
  }

  private void respondJson(ChannelHandlerContext ctx, boolean keepAlive, String requestId, String contentType, String origin, JsonResponse response) {
    ByteBuf buf = ctx.alloc().buffer(256);
    try (JsonGenerator g = json.createGenerator((java.io.OutputStream) new ByteBufOutputStream(buf), JsonEncoding.UTF8)) {
      response.write(g);
    } catch (IOException | RuntimeException e) {
      buf.release();
      respondError(ctx, keepAlive, requestId, contentType, toDynamo(e));
      return;
    }
    send(ctx, keepAlive, requestId, HttpResponseStatus.OK, contentType, buf, origin);
  }

  private void respondError(ChannelHandlerContext ctx, boolean keepAlive, String requestId, String contentType, DynamoException error) {
    ByteBuf buf = ctx.alloc().buffer(128);
    try (JsonGenerator g = json.createGenerator((java.io.OutputStream) new ByteBufOutputStream(buf), JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("__type", error.code().qualifiedType());
      if (error.getMessage() != null) {
        // TransactionCanceledException's model names its message member "Message"; SDKs read both.
        g.writeStringField(error instanceof TransactionCanceledException ? "Message" : "message", error.getMessage());
      }
      if (error instanceof ConditionalCheckFailedException ccf && ccf.item() != null) {
        g.writeFieldName("Item");
        AttributeValueJson.writeMap(g, ccf.item());
      }
      if (error instanceof TransactionCanceledException tce) {
        writeCancellationReasons(g, tce);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode an error body", e);
    }
    send(ctx, keepAlive, requestId, HttpResponseStatus.valueOf(error.code().httpStatus()), contentType, buf, null);
  }

  /** One reason per action, in request order: {@code Code}, and {@code Message} and {@code Item} when there are some. */
  private static void writeCancellationReasons(JsonGenerator g, TransactionCanceledException error) throws IOException {
    g.writeArrayFieldStart("CancellationReasons");
    for (CancellationReason r : error.reasons()) {
      g.writeStartObject();
      if (r.item() != null) {
        g.writeFieldName("Item");
        AttributeValueJson.writeMap(g, r.item());
      }
      g.writeStringField("Code", r.code().wireName());
      if (r.message() != null) {
        g.writeStringField("Message", r.message());
      }
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private void respondRaw(ChannelHandlerContext ctx, boolean keepAlive, String requestId, HttpResponseStatus status, String contentType, byte[] body, String origin) {
    send(ctx, keepAlive, requestId, status, contentType, Unpooled.wrappedBuffer(body), origin);
  }

  private void respondPreflight(ChannelHandlerContext ctx, boolean keepAlive, String requestId, HttpHeaders headers) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER);
    HttpHeaders h = response.headers();
    h.set("x-amzn-RequestId", requestId);
    h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    String requestHeaders = headers.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
    if (requestHeaders != null) {
      h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, requestHeaders);
    }
    String requestMethod = headers.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    if (requestMethod != null) {
      h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, requestMethod);
    }
    h.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "172800");
    h.setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
    write(ctx, keepAlive, response);
  }

  private void send(ChannelHandlerContext ctx, boolean keepAlive, String requestId, HttpResponseStatus status, String contentType, ByteBuf body, String origin) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    HttpHeaders h = response.headers();
    h.set("x-amzn-RequestId", requestId);
    h.set("x-amz-crc32", Long.toString(crc32(body)));
    h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
    h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    if (origin != null) {
      h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    }
    write(ctx, keepAlive, response);
  }

  private static void write(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
    if (keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(response, ctx.voidPromise());
    } else {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static long crc32(ByteBuf body) {
    CRC32 crc = new CRC32();
    crc.update(body.nioBuffer());
    return crc.getValue();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("connection error", cause);
    ctx.close();
  }
}
